import { describe, expect, it } from 'vitest';
import { html, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolation, including nested arrays', () => {
    const evil = '"><script>alert(1)</script>';
    const out = html`<a title="${evil}">${[evil, html`<b>${evil}</b>`]}</a>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&quot;&gt;&lt;script&gt;');
    expect(out).toContain('<b>&quot;');
  });
  it('passes SafeHtml and raw through and drops null, undefined and false', () => {
    expect(html`${raw('<i>x</i>')}${null}${undefined}${false}${0}`.value).toBe('<i>x</i>0');
  });
});
