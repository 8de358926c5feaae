import { html, raw } from 'hono/html'

/**
 * The demo host page: a pretend customer product ("Acme Shop") that embeds the widget exactly as
 * the README tells product teams to. Nothing here is Earshot UI; it is the page a customer sees.
 */
export function demoPage(opts: { publicKey: string; release: string; dashboardUrl: string; statusUrl: string }) {
  const orders = [
    ['#10482', 'Maya Lin', 'Shipped', '$129.00', 'Nov 24'],
    ['#10481', 'Tomás Ruiz', 'Processing', '$48.50', 'Nov 24'],
    ['#10480', '王芳', 'Delivered', '$312.20', 'Nov 23'],
    ['#10479', 'Priya Patel', 'Refunded', '$19.99', 'Nov 23'],
    ['#10478', 'Jonas Berg', 'Delivered', '$86.00', 'Nov 22'],
  ]
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Orders · Acme Shop</title>
<link rel="stylesheet" href="/demo.css">
<link rel="icon" href="data:,">
</head>
<body>
<div class="shell">
  <aside class="side">
    <div class="brand"><span class="logo">A</span> Acme Shop</div>
    <nav>
      <a href="/">Overview</a>
      <a href="/" class="on">Orders</a>
      <a href="/">Products</a>
      <a href="/">Customers</a>
      <a href="/">Settings</a>
    </nav>
    <div class="side-foot">Demo host page · <a href="${opts.dashboardUrl}">Earshot dashboard</a> ·
      <a href="${opts.statusUrl}">Status</a></div>
  </aside>
  <main>
    <header class="top">
      <div><h1>Orders</h1><p class="sub">Everything your customers bought this week.</p></div>
      <div class="top-actions">
        <input class="search" placeholder="Search orders" aria-label="Search orders">
        <button class="btn">Export</button><button class="btn primary">New order</button>
      </div>
    </header>
    <section class="cards">
      <div class="card">
        <div class="k">Revenue (7 days)</div><div class="v">$24,310</div><div class="d up">+8.2%</div>
      </div>
      <div class="card"><div class="k">Orders</div><div class="v">1,204</div><div class="d up">+3.1%</div></div>
      <div class="card"><div class="k">Refunds</div><div class="v">14</div><div class="d down">+2</div></div>
      <div class="card"><div class="k">Conversion</div><div class="v">3.4%</div><div class="d">flat</div></div>
    </section>
    <section class="panel">
      <table>
        <thead><tr><th>Order</th><th>Customer</th><th>Status</th><th class="num">Total</th><th>Date</th></tr></thead>
        <tbody>
          ${raw(
            orders
              .map(
                ([id, who, status, total, date]) =>
                  `<tr><td class="mono">${id}</td><td>${who}</td>` +
                  `<td><span class="pill ${status!.toLowerCase()}">${status}</span></td>` +
                  `<td class="num">${total}</td><td>${date}</td></tr>`,
              )
              .join(''),
          )}
        </tbody>
      </table>
    </section>
    <p class="hint">Something looks wrong? Use <strong>Report an issue</strong> in the corner —
      that is the Earshot widget.</p>
  </main>
</div>
<script src="/widget.js" data-key="${opts.publicKey}" data-release="${opts.release}" async></script>
</body>
</html>`
}

export const DEMO_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans SC",sans-serif;
  color:#0f172a;background:#f6f7fb}
a{color:inherit}.shell{display:flex;min-height:100vh}
.side{width:232px;background:#0f172a;color:#cbd5e1;padding:20px 14px;display:flex;flex-direction:column;gap:18px}
.brand{display:flex;align-items:center;gap:10px;color:#fff;font-weight:650;font-size:16px;padding:4px 8px}
.logo{display:grid;place-items:center;width:30px;height:30px;border-radius:8px;
  background:linear-gradient(135deg,#6366f1,#22d3ee);color:#fff;font-weight:800}
nav{display:flex;flex-direction:column;gap:2px}nav a{text-decoration:none;padding:8px 10px;border-radius:8px}
nav a:hover{background:#1e293b}nav a.on{background:#1e293b;color:#fff}
.side-foot{margin-top:auto;font-size:12px;color:#64748b;padding:0 8px}.side-foot a{color:#94a3b8}
main{flex:1;padding:28px 36px;min-width:0}
.top{display:flex;justify-content:space-between;align-items:flex-end;gap:16px;flex-wrap:wrap;margin-bottom:22px}
h1{margin:0;font-size:26px;letter-spacing:-.01em}.sub{margin:2px 0 0;color:#64748b}
.top-actions{display:flex;gap:8px}
.search{border:1px solid #e2e8f0;border-radius:8px;padding:8px 12px;font:inherit;min-width:200px;background:#fff}
.btn{border:1px solid #e2e8f0;background:#fff;border-radius:8px;padding:8px 14px;font:inherit;font-weight:550;
  cursor:pointer}
.btn.primary{background:#4f46e5;border-color:#4f46e5;color:#fff}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:14px;margin-bottom:22px}
.card{background:#fff;border:1px solid #e8ebf2;border-radius:12px;padding:16px}.k{color:#64748b;font-size:13px}
.v{font-size:24px;font-weight:650;margin-top:4px}.d{font-size:12px;color:#64748b}
.d.up{color:#059669}.d.down{color:#dc2626}
.panel{background:#fff;border:1px solid #e8ebf2;border-radius:12px;overflow:auto}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:12px 16px;border-bottom:1px solid #f1f5f9;white-space:nowrap}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#64748b;font-weight:600;background:#fafbfd}
.num{text-align:right}.mono{font-family:ui-monospace,Menlo,monospace;color:#475569}
.pill{font-size:12px;padding:2px 8px;border-radius:999px;background:#f1f5f9;color:#334155;font-weight:550}
.pill.shipped{background:#e0e7ff;color:#3730a3}.pill.delivered{background:#dcfce7;color:#166534}
.pill.processing{background:#fef9c3;color:#854d0e}.pill.refunded{background:#fee2e2;color:#991b1b}
.hint{color:#64748b;font-size:14px;margin-top:18px}
@media (max-width:760px){
  .side{display:none}main{padding:18px}.top-actions{flex-wrap:wrap;width:100%}.search{min-width:0;flex:1 1 100%}
}
`
