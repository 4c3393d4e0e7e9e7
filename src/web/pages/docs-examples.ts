/**
 * The code examples of the API page: the same in both languages, with the wire format of the
 * contract (every money string with 4 decimals, the exact error texts).
 */
export function docsExamples(baseUrl: string) {
  return {
    authBody: `POST ${baseUrl}
Content-Type: application/json

{
  "key":    "your-api-key",
  "action": "balance"
}`,
    authHeader: `POST ${baseUrl}
X-Api-Key: your-api-key
Content-Type: application/json

{ "action": "balance" }`,
    authQuery: `POST ${baseUrl}?key=your-api-key
Content-Type: application/json

{ "action": "balance" }`,
    curl: `curl -X POST ${baseUrl} \\
  -H 'Content-Type: application/json' \\
  -d '{"key":"YOUR_KEY","action":"balance"}'`,
    servicesRequest: `POST ${baseUrl}
{ "key": "YOUR_KEY", "action": "services" }`,
    servicesResponse: `[
  {
    "service":     1017,
    "name":        "IG Likes - Male+Female",
    "type":        "Default",
    "category":    "Likes",
    "rate":        "3.5000",
    "min":         "25",
    "max":         "5000",
    "dripfeed":    false,
    "refill":      false,
    "cancel":      true,
    "description": "Link type: post_url",
    "currency":    "EUR",
    "desc":        "Link type: post_url"
  }
]`,
    balanceRequest: `{ "key": "YOUR_KEY", "action": "balance" }`,
    balanceResponse: `{
  "balance":  "42.5000",
  "currency": "EUR"
}`,
    addRequest: `{
  "key":      "YOUR_KEY",
  "action":   "add",
  "service":  1017,
  "link":     "https://www.instagram.com/p/XXXXX/",
  "quantity": 100
}`,
    addResponse: `{ "order": 12345 }`,
    addInsufficient: `{ "error": "Insufficient balance. Required: €0.3500, Available: €0.1200" }`,
    addWrongLink: `{ "error": "This service requires a post URL (e.g. instagram.com/p/...)" }`,
    addUsernameRequest: `{
  "key":      "YOUR_KEY",
  "action":   "add",
  "service":  2,
  "link":     "myusername",
  "quantity": 500
}`,
    addUsernameResponse: `{ "order": 12346 }`,
    addCommentsRequest: `{
  "key":      "YOUR_KEY",
  "action":   "add",
  "service":  3,
  "link":     "https://www.instagram.com/p/XXXXX/",
  "comments": "Bellissimo!\\nChe foto!\\nTop 🔥"
}`,
    addCommentsMismatch: `{ "error": "Quantity must equal the number of comments (3)" }`,
    addDripfeedRequest: `{
  "key":      "YOUR_KEY",
  "action":   "add",
  "service":  1017,
  "link":     "https://www.instagram.com/p/XXXXX/",
  "quantity": 100,
  "runs":     10,
  "interval": 30
}`,
    addDripfeedResponse: `{ "order": 12347 }`,
    addDripfeedErrors: `{ "error": "Drip-feed is not supported for this service" }
{ "error": "Runs out of range (min 2, max 100)" }
{ "error": "Interval out of range (min 1, max 1440)" }`,
    idempotency: `POST ${baseUrl}
Idempotency-Key: 7c1f0e9a-order-12345
Content-Type: application/json

{ "key": "YOUR_KEY", "action": "add", "service": 1017, "link": "https://www.instagram.com/p/XXXXX/", "quantity": 100 }`,
    statusRequest: `{ "key": "YOUR_KEY", "action": "status", "order": 12345 }`,
    statusResponse: `{
  "charge":      "0.3500",
  "start_count": "1042",
  "status":      "In progress",
  "remains":     "87",
  "currency":    "EUR"
}`,
    statusBatchRequest: `{ "key": "YOUR_KEY", "action": "status", "orders": "12345,12346,12347" }`,
    statusBatchResponse: `{
  "12345": { "charge": "0.3500", "start_count": "1042", "status": "Completed", "remains": "0", "currency": "EUR" },
  "12346": { "charge": "0.7000", "start_count": "500", "status": "In progress", "remains": "50", "currency": "EUR" },
  "12347": { "error": "Order not found" }
}`,
    cancelRequest: `{ "key": "YOUR_KEY", "action": "cancel", "order": 12345 }`,
    cancelResponse: `{ "12345": 1 }`,
    cancelRefused: `{ "12345": "Cannot cancel: status is completed" }`,
    cancelBatchRequest: `{ "key": "YOUR_KEY", "action": "cancel", "orders": "12345,12346" }`,
    cancelBatchResponse: `{
  "12345": 1,
  "12346": "Cannot cancel: status is completed"
}`,
    getRequest: `GET ${baseUrl}?key=YOUR_KEY&action=balance`,
    headRequest: `HEAD ${baseUrl}
→ HTTP 200, no body`,
    perfectPanelCancel: `[
  { "order": 12345, "cancel": 1 },
  { "order": 12346, "cancel": { "error": "Cannot cancel: status is completed" } }
]`,
    statusFlow: `Pending --> In progress --> Completed
   |             |    \\
   |             |     --> Partial
   v             v
Canceled      Canceled        (Pending | In progress --> Error)`,
    howItWorks: `Your Panel (PerfectPanel / SMMKings / ...)
    |
    |  POST ${baseUrl}
    |  { key: "YOUR_API_KEY", action: "add", service: 1001, link: "...", quantity: 100 }
    v
Inspiria API
    |
    |  Validates order, deducts balance, creates order
    v
Inspiria Engine --> Real Italian Accounts --> Instagram`,
  };
}

export type DocsExamples = ReturnType<typeof docsExamples>;
