import type { OrderPageMessages } from './order-page-it.js';

/** English strings of the order page, the mass order and the average time (same keys as order-page-it.ts). */
export const orderPageEn: OrderPageMessages = {
  detail: {
    title: (id: number) => `Order #${id}`,
    placedAt: 'Placed on',
    completedAt: 'Completed on',
    service: 'Service',
    description: 'Description',
    link: 'Link',
    quantity: 'Quantity',
    startCount: 'Start count',
    startCountUnknown: 'not read yet',
    delivered: 'Delivered',
    remains: 'Remains',
    charge: 'Charged',
    refunded: 'Refunded',
    net: 'Net cost',
    status: 'Status',
    statusMeanings: {
      Pending: 'Queued: delivery has not started yet.',
      'In progress': 'Delivery is under way.',
      Completed: 'Delivered in full.',
      Partial: 'Partly delivered: the undelivered part was refunded.',
      Canceled: 'Canceled: the undelivered part was refunded.',
      Error: 'It could not be delivered: the undelivered part was refunded.',
    },
    comments: (count: string) => `Comments (${count})`,
    runsTitle: (count: string) => `Runs (${count})`,
    run: 'Run',
    dueAt: 'Due',
    runDelivered: 'Delivered',
    runStatuses: { waiting: 'Waiting', running: 'In progress', done: 'Delivered', stopped: 'Stopped' },
    ledgerTitle: 'Balance entries of this order',
    ledgerEmpty: 'No entries for this order.',
    cancel: 'Cancel the order',
    orderAgain: 'Order again',
    backToOrders: 'All orders',
    canceled: (amount: string) => `Order canceled: ${amount} refunded.`,
    refundChanged: (shown: string, refunded: string) =>
      `The order moved on between the preview and your confirmation: we had shown ${shown}, the refund actually made is ${refunded}.`,
  },
  mass: {
    title: 'Mass order',
    nav: 'Mass order',
    lead: 'One order per line, as service|link|quantity, up to 100 lines. Each line is checked and charged on its own: you see the total first, then confirm.',
    linesLabel: 'Orders, one per line',
    linesHint: 'Example: 101|https://www.instagram.com/p/ABCDE12345/|500',
    review: 'Check the lines and the total',
    previewTitle: 'Check your mass order',
    line: 'Line',
    service: 'Service',
    link: 'Link',
    quantity: 'Quantity',
    charge: 'Charge',
    outcome: 'Outcome',
    willPlace: 'To be placed',
    total: (count: string) => `Total for ${count} orders`,
    balance: 'Available balance',
    balanceAfter: 'Balance after the orders',
    refusedNote: (count: string) =>
      `${count} refused lines will not be placed: fix them with “Edit” or confirm only the others.`,
    shortNote:
      'Your balance does not cover the total: lines are charged in order while the balance lasts, the rest will be refused.',
    nothingToPlace: 'No line can be placed: fix the lines and try again.',
    confirm: (count: string, amount: string) => `Confirm and pay ${count} orders (${amount})`,
    edit: 'Edit',
    resultsTitle: 'Mass order result',
    placedOrder: (id: number) => `Order #${id}`,
    summary: (placed: string, refused: string, amount: string) =>
      `${placed} orders placed for ${amount}, ${refused} lines refused.`,
    alreadyPlaced: 'This mass order was already confirmed: here is its result, nothing was placed again.',
    expired: 'This confirmation is no longer valid: check the lines again.',
    another: 'New mass order',
  },
  timing: {
    title: 'Average time',
    explain: (count: string, threshold: string) =>
      `Median time from placement to completion of the service’s last ${count} completed orders, per quantity; shown from ${threshold} orders on.`,
    bands: {
      small: 'up to 999',
      medium: '1,000 to 9,999',
      large: '10,000 and more',
    },
    notEnough: (count: string, threshold: string) =>
      `not enough data yet (${count} of ${threshold} completed orders)`,
    underMinute: 'under a minute',
    minutes: (m: number) => `${m} min`,
    hours: (h: number, m: number) => (m === 0 ? `${h} h` : `${h} h ${m} min`),
    days: (d: number, h: number) => (h === 0 ? `${d} d` : `${d} d ${h} h`),
  },
  form: {
    balance: (amount: string) => `Available balance: ${amount}`,
    commentsList: (count: string) => `Comments (${count})`,
  },
  dashboard: {
    windowSpend: (amount: string) =>
      `Net spending over the last 14 days up to the last full hour (what sets your tier): ${amount}`,
    chartNote:
      'The chart shows net spending day by day over the last 30 days, today included: it covers a longer period than the 14-day figure and updates at once, so the two can differ.',
  },
};
