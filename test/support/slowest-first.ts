import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import durations from './file-durations.json' with { type: 'json' };

/**
 * Vitest starts the files it timed before longest first, which packs four processes well; in a
 * fresh clone (CI) it has no timings and starts the largest files first instead, which left the
 * slow ones to run side by side. There, the seconds a file took in a full run on this machine
 * (file-durations.json, refreshed by hand now and then: a stale figure only costs a worse order).
 */
export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const root = this.ctx.config.root;
    const keyOf = (spec: TestSpecification) => `${spec.project.name}:${relative(root, spec.moduleId)}`;
    if (ordered.some((spec) => this.ctx.cache.getFileTestResults(keyOf(spec)))) return ordered;
    const seconds = durations as Record<string, number>;
    const known = (spec: TestSpecification) => seconds[relative(root, spec.moduleId)] ?? 0;
    // Projects still run one after the other, in vitest's order.
    const projects = [...new Set(ordered.map((spec) => spec.project.name))];
    return [...ordered].sort(
      (a, b) => projects.indexOf(a.project.name) - projects.indexOf(b.project.name) || known(b) - known(a),
    );
  }
}
