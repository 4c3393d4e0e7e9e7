// Inspiria's only client script: progressive enhancement; every page works without it.

function fallbackCopy(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.appendChild(area);
  area.select();
  try {
    document.execCommand('copy');
  } catch {
    // Nothing more to try: the text stays selectable on the page.
  }
  document.body.removeChild(area);
}

function copyText(text, button) {
  const done = () => {
    const label = button.textContent;
    button.textContent = button.getAttribute('data-copied-label') || 'Copied';
    button.classList.add('is-copied');
    setTimeout(() => {
      button.textContent = label;
      button.classList.remove('is-copied');
    }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => {
      fallbackCopy(text);
      done();
    });
  } else {
    fallbackCopy(text);
    done();
  }
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  if (button.hasAttribute('data-copy-target')) {
    const input = document.getElementById(button.getAttribute('data-copy-target'));
    if (input) copyText(input.value, button);
  } else if (button.classList.contains('copy-code')) {
    const code = button.parentElement.querySelector('code');
    if (code) copyText(code.textContent, button);
  } else if (button.classList.contains('menu-toggle')) {
    const isOpen = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!isOpen));
    document.getElementById(button.getAttribute('aria-controls')).classList.toggle('is-open', !isOpen);
  }
});

document.addEventListener('submit', (event) => {
  const message = event.target.getAttribute('data-confirm');
  if (message && !window.confirm(message)) event.preventDefault();
});

// New-order form: the service list follows the category, the details follow the service.
function setUpOrderForm(form) {
  const category = form.querySelector('#category');
  const service = form.querySelector('#service');
  const details = document.getElementById('service-details');
  const showService = () => {
    const option = service.options[service.selectedIndex];
    const serviceId = option?.value;
    for (const card of details.querySelectorAll('[data-service-id]')) {
      card.hidden = !serviceId || card.getAttribute('data-service-id') !== serviceId;
    }
    const isComments = Boolean(serviceId) && option.getAttribute('data-type') === 'Custom Comments';
    form.querySelector('#quantity-field').hidden = isComments;
    form.querySelector('#comments-field').hidden = !isComments;
    form.querySelector('#quantity').disabled = isComments;
    form.querySelector('#comments').disabled = !isComments;
    // Drip-feed services take runs and an interval; for the others the fields are not sent.
    const isDripfeed = Boolean(serviceId) && option.getAttribute('data-dripfeed') === '1';
    form.querySelector('#dripfeed-field').hidden = !isDripfeed;
    form.querySelector('#runs').disabled = !isDripfeed;
    form.querySelector('#interval').disabled = !isDripfeed;
  };
  const filterServices = () => {
    const wanted = category.value;
    let firstVisible = null;
    for (const option of service.options) {
      const matches = !wanted || option.value === '' || option.getAttribute('data-category') === wanted;
      option.hidden = !matches;
      option.disabled = !matches;
      if (matches && option.value && !firstVisible) firstVisible = option;
    }
    const selected = service.options[service.selectedIndex];
    const needsChoice = selected?.disabled || (wanted && !selected?.value);
    if (needsChoice && firstVisible) service.value = firstVisible.value;
    showService();
  };
  category.addEventListener('change', filterServices);
  service.addEventListener('change', showService);
  filterServices();
}

const orderForm = document.getElementById('order-form');
if (orderForm) setUpOrderForm(orderForm);

// Orders being delivered: refresh the rows in place (same page, same filters) until none moves.
function refreshLiveOrders(body) {
  const delayMs = Number(body.dataset.liveOrders);
  if (!(delayMs > 0)) return;
  setTimeout(async () => {
    if (document.hidden) return refreshLiveOrders(body);
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin' });
      if (!response.ok) return;
      const fresh = new DOMParser()
        .parseFromString(await response.text(), 'text/html')
        .querySelector('tbody[data-live-orders]');
      if (!fresh) return;
      body.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
      body.dataset.liveOrders = fresh.dataset.liveOrders;
      refreshLiveOrders(body);
    } catch {
      refreshLiveOrders(body);
    }
  }, delayMs);
}

const liveOrders = document.querySelector('tbody[data-live-orders]');
if (liveOrders) refreshLiveOrders(liveOrders);

// Add funds: a quick amount fills the field instead of reloading the page (the link still works).
document.addEventListener('click', (event) => {
  const pick = event.target.closest('a[data-amount]');
  const input = document.getElementById('amount');
  if (!pick || !input) return;
  event.preventDefault();
  input.value = pick.getAttribute('data-amount');
  input.focus();
});

// Receipts: the print button (no inline handlers under the CSP).
document.addEventListener('click', (event) => {
  if (event.target.closest('button[data-print]')) window.print();
});

// A payment awaiting the processor's confirmation: re-read the page until its status settles.
function refreshLiveSection(section) {
  const delayMs = Number(section.dataset.liveRefresh);
  if (!(delayMs > 0)) return;
  setTimeout(async () => {
    if (document.hidden) return refreshLiveSection(section);
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin' });
      if (!response.ok) return;
      const fresh = new DOMParser()
        .parseFromString(await response.text(), 'text/html')
        .getElementById(section.id);
      if (!fresh) return;
      const copy = document.importNode(fresh, true);
      section.replaceWith(copy);
      refreshLiveSection(copy);
    } catch {
      refreshLiveSection(section);
    }
  }, delayMs);
}

for (const section of document.querySelectorAll('[data-live-refresh][id]')) refreshLiveSection(section);

// Provider import: "select all" of a category ticks its services (the boxes work without it).
document.addEventListener('change', (event) => {
  const all = event.target.closest('input[data-select-all]');
  if (!all) return;
  const group = all.getAttribute('data-select-all');
  for (const box of document.querySelectorAll('input[type="checkbox"][data-group]')) {
    if (box.getAttribute('data-group') === group && !box.disabled) box.checked = all.checked;
  }
});
