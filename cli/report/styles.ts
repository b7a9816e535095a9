/**
 * The page's stylesheet: a light theme on the system font stack, colours from the Okabe–Ito
 * palette (told apart with colour-blindness too), all in one inline <style>.
 */
export const STYLES = `
:root{--ok:#0072B2;--failed:#D55E00;--retried:#E69F00;--marker:#6b7280;--limit:#9a3412;--conc-fill:#a9d5f0;
--text:#1f2328;--muted:#5b636d;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 20px 48px}
header h1{margin:0 0 2px;font-size:22px;font-weight:650}
header p{margin:0;color:var(--muted)}
.state{display:inline-block;padding:1px 8px;border-radius:10px;background:#eef1f4;border:1px solid var(--line);font-size:12px;color:var(--text)}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-top:16px}
h2{font-size:17px;margin:0 0 10px;font-weight:650}
h3{font-size:14px;margin:18px 0 6px;font-weight:600}
.muted{color:var(--muted)}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(132px,1fr));gap:10px;margin:0}
.stat{border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:#fbfcfd}
.stat dt{font-size:12px;color:var(--muted)}
.stat dd{margin:0;font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.stat.good dd{color:#1a7f37}.stat.bad dd{color:#b34400}.stat.warn dd{color:#9a6700}
.stat.bad{border-color:#f0c2a6;background:#fff8f3}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;margin:4px 0 8px;font-size:13px}
.key{display:inline-flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;background:var(--c)}
.swatch.outline{background:transparent;border:2px solid var(--c)}
.swatch.line{height:0;width:16px;border-top:2px solid var(--c);border-radius:0;background:none}
.swatch.dashed{border-top-style:dashed}
.swatch.tick{width:4px;background:#111}
.chart{position:relative;user-select:none}
.chart canvas{display:block;width:100%;cursor:crosshair}
.selection{position:absolute;top:0;bottom:0;background:rgba(0,114,178,.12);border:1px solid rgba(0,114,178,.5);pointer-events:none}
.tooltip{position:fixed;z-index:10;max-width:420px;padding:6px 9px;background:#1f2328;color:#fff;border-radius:5px;font-size:12px;line-height:1.45;pointer-events:none;white-space:pre-line;box-shadow:0 2px 8px rgba(0,0,0,.2)}
button{font:inherit;font-size:12px;padding:1px 8px;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}
button:disabled{color:var(--muted);cursor:default}
svg.histogram{width:100%;height:auto;display:block}
svg .grid{stroke:#eef1f4}svg .axis{stroke:#8c959f}svg .ok{fill:var(--ok)}svg .failed{fill:var(--failed)}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:var(--muted)}
svg text.pct{font-weight:600}svg text.axis-title{fill:var(--text)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.failures td:nth-child(3){min-width:240px}
td.ids{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-word}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.bad{color:#b34400}
tr.failed-row td:first-child{box-shadow:inset 3px 0 var(--failed)}
.empty{color:var(--muted)}
.badge{display:inline-block;vertical-align:2px;margin-left:6px;padding:0 7px;border-radius:9px;background:#fff4d6;border:1px solid #e5c76b;color:#7a5a00;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.compare{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:12px}
.figure{display:flex;flex-direction:column;border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:220px}
.figure span{font-size:12px;color:var(--muted)}.figure b{font-size:20px;font-variant-numeric:tabular-nums}.figure small{color:var(--muted)}
.role{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;background:#eef1f4}
.basis{font-size:11px;padding:0 5px;border-radius:3px;border:1px solid var(--line);color:var(--muted)}
.basis.counted{border-color:#9fd3b0;color:#1a7f37}
.formula{color:var(--muted);font-size:12px;margin-top:2px}
tfoot td{font-weight:650;border-bottom:none}
.formula-note{font-size:13px}
.notes{margin:6px 0 0;padding-left:18px;color:var(--muted);font-size:13px}
footer{margin-top:16px;color:var(--muted);font-size:12px;text-align:center}
a{color:#0b5cad}
`;
