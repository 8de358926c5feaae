/**
 * The status page's stylesheet, inlined (one request, no JavaScript). `--brand` is the project's
 * colour; the state colours are fixed so "red" always means the same thing to a customer.
 */
export const STATUS_CSS = `
:root{--brand:#4f46e5;--bg:#f6f7f9;--card:#fff;--text:#1f2937;--muted:#6b7280;--line:#e5e7eb;
--ok:#16a34a;--minor:#d97706;--major:#ea580c;--critical:#dc2626;--maint:#2563eb;--none:#9ca3af;--empty:#d1d5db}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#171a21;--text:#e5e7eb;--muted:#9ca3af;--line:#2a2f3a;
--empty:#374151}.feeds a,.back,.notice a.ghost{color:color-mix(in srgb,var(--brand) 55%,#fff)}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);
font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","PingFang SC",
"Microsoft YaHei",sans-serif}
a{color:var(--brand)}
.wrap{max-width:820px;margin:0 auto;padding:0 20px}
header.top{background:var(--card);border-bottom:1px solid var(--line)}
header.top .wrap{display:flex;align-items:center;justify-content:space-between;gap:16px;min-height:72px}
.brand{display:flex;align-items:center;gap:12px;text-decoration:none;color:var(--text);font-weight:700;font-size:20px}
.logo{width:36px;height:36px;border-radius:9px;background:var(--brand);color:#fff;display:grid;place-items:center;
font-size:18px;font-weight:800}
.btn{display:inline-block;background:var(--brand);color:#fff;border:0;border-radius:8px;padding:9px 16px;font:inherit;
font-weight:600;text-decoration:none;cursor:pointer}
.btn:hover{filter:brightness(1.08)}
.btn:focus-visible,input:focus-visible{outline:3px solid color-mix(in srgb,var(--brand) 45%,transparent);
outline-offset:2px}
.btn.ghost{background:transparent;color:var(--brand);border:1px solid var(--line)}
main{padding:28px 0 48px}
.banner{display:flex;align-items:center;gap:14px;border-radius:10px;padding:18px 22px;color:#fff;font-size:19px;
font-weight:650;margin-bottom:28px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.banner svg{flex:none}
.banner small{display:block;font-size:13px;font-weight:500;opacity:.9}
.b-none{background:var(--ok)}.b-minor{background:var(--minor)}.b-major{background:var(--major)}
.b-critical{background:var(--critical)}.b-maintenance{background:var(--maint)}
section{margin-bottom:32px}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 10px;font-weight:650}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
.incident{border-left:5px solid var(--none);padding:18px 22px}
.incident+.incident{border-top:1px solid var(--line)}
.incident h3{margin:0 0 4px;font-size:17px}
.incident h3 a{text-decoration:none}
.t-none{color:var(--text)}
.incident h3 a:hover{text-decoration:underline}
.i-minor{border-left-color:var(--minor)}.i-major{border-left-color:var(--major)}
.i-critical{border-left-color:var(--critical)}.i-maintenance{border-left-color:var(--maint)}
.i-none{border-left-color:var(--none)}
.t-minor{color:var(--minor)}.t-major{color:var(--major)}.t-critical{color:var(--critical)}
.t-maintenance{color:var(--maint)}
.meta{color:var(--muted);font-size:13px}
.affects{margin:6px 0 0;color:var(--muted);font-size:13px}
.incident p.msg{margin:10px 0 0}
ol.timeline{list-style:none;margin:14px 0 0;padding:0 0 0 18px;border-left:2px solid var(--line)}
ol.timeline li{position:relative;padding:0 0 14px 4px}
ol.timeline li:last-child{padding-bottom:0}
ol.timeline li::before{content:"";position:absolute;left:-25px;top:6px;width:10px;height:10px;border-radius:50%;
background:var(--card);border:2px solid var(--muted)}
ol.timeline li.s-resolved::before{border-color:var(--ok);background:var(--ok)}
ol.timeline li.s-investigating::before{border-color:var(--critical)}
ol.timeline li.s-identified::before{border-color:var(--major)}
ol.timeline li.s-monitoring::before{border-color:var(--maint)}
.label{font-weight:650}
.msg{white-space:pre-wrap;overflow-wrap:anywhere}
.comp{display:grid;grid-template-columns:1fr auto;gap:4px 12px;padding:16px 22px;align-items:center}
.comp+.comp{border-top:1px solid var(--line)}
.comp .name{font-weight:600}
.comp .desc{color:var(--muted);font-size:13px;grid-column:1/-1;margin-top:-4px}
.state{font-size:14px;font-weight:600;display:inline-flex;align-items:center;gap:6px}
.dot{width:10px;height:10px;border-radius:50%;display:inline-block}
.c-operational{color:var(--ok)}.c-degraded_performance{color:var(--minor)}.c-partial_outage{color:var(--major)}
.c-major_outage{color:var(--critical)}.c-under_maintenance{color:var(--maint)}
.d-operational{background:var(--ok)}.d-degraded_performance{background:var(--minor)}
.d-partial_outage{background:var(--major)}.d-major_outage{background:var(--critical)}
.d-under_maintenance{background:var(--maint)}.d-no_data{background:var(--empty)}
.bars{grid-column:1/-1;display:flex;gap:2px;height:34px;margin-top:6px}
.bars span{flex:1;border-radius:2px;min-width:2px}
.bars span:hover{opacity:.7}
.b0{background:var(--ok)}.b1{background:var(--minor)}.b2{background:var(--major)}.b3{background:var(--critical)}
.bm{background:var(--maint)}.bn{background:var(--empty)}
.axis{grid-column:1/-1;display:flex;justify-content:space-between;color:var(--muted);font-size:12px}
.axis b{font-weight:500}
.axis .d30{display:none}
.day{padding:14px 22px}
.day+.day{border-top:1px solid var(--line)}
.day h4{margin:0 0 6px;font-size:15px}
.day .none{color:var(--muted);font-size:14px;margin:0}
.day .past{margin:8px 0 0}
.day .past a{font-weight:600;text-decoration:none}
.day .past a:hover{text-decoration:underline}
.day .past p{margin:2px 0 0}
.subscribe{padding:20px 22px}
.subscribe form{display:flex;gap:10px;flex-wrap:wrap;margin-top:10px}
.subscribe input[type=email]{flex:1 1 240px;min-width:0;padding:9px 12px;border:1px solid var(--line);
border-radius:8px;font:inherit;background:var(--bg);color:var(--text)}
.subscribe details{flex-basis:100%;font-size:14px;color:var(--muted)}
.subscribe details label{display:inline-flex;gap:6px;margin:6px 14px 0 0;color:var(--text)}
.subscribe p{margin:0}
.feeds{display:flex;gap:14px;flex-wrap:wrap;margin-top:14px;font-size:14px}
.notice{padding:28px;text-align:center}
.notice h1{font-size:22px;margin:0 0 8px}
.notice p{color:var(--muted);margin:0 0 16px}
.private{background:color-mix(in srgb,var(--brand) 12%,var(--card));
border:1px solid color-mix(in srgb,var(--brand) 35%,var(--line));border-radius:8px;padding:8px 14px;font-size:14px;
margin-bottom:18px}
footer{color:var(--muted);font-size:13px;text-align:center;padding:10px 0 32px}
footer a{color:var(--muted)}
.back{display:inline-block;margin-bottom:14px;font-size:14px;text-decoration:none}
.actions{display:flex;align-items:center;gap:14px}
.langs a{color:var(--muted);font-size:14px;text-decoration:none;white-space:nowrap}
.langs a:hover{color:var(--text);text-decoration:underline}
@media (max-width:560px){.brand,.btn{white-space:nowrap}.wide{display:none}.bars span:nth-child(-n+60){display:none}
.axis .d90{display:none}.axis .d30{display:inline}.banner{font-size:17px;padding:16px}
.incident,.comp,.day,.subscribe{padding-left:16px;padding-right:16px}.bars{height:28px;gap:1px}
header.top .btn{padding:7px 12px;font-size:14px}.actions{gap:10px}
.brand{min-width:0;overflow:hidden;text-overflow:ellipsis}}
`
