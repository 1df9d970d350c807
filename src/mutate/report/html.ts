// A self-contained HTML report (inline CSS and JS, no network) rendered from the schema JSON:
// per-file scores, and each file's source with its mutants highlighted.
import type { SchemaReport } from './schema-json.js';

export function renderHtml(report: SchemaReport): string {
  // `<` is escaped so a source file containing `</script>` cannot end the data block.
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Suture mutation report</title>
<style>${css}</style></head>
<body><h1>Suture mutation report</h1><div id="summary"></div><div id="files"></div>
<script id="report-data" type="application/json">${data}</script>
<script>${script}</script></body></html>
`;
}

const css = `body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.good{color:#17803d}.warn{color:#b7791f}.bad{color:#c53030}
pre{background:#f7f7f7;padding:1em;overflow:auto;line-height:1.45}
.m{border-bottom:2px solid;cursor:help}.Killed,.Timeout{border-color:#17803d;background:#e6f4ea}
.Survived{border-color:#c53030;background:#fde8e8}.NoCoverage{border-color:#b7791f;background:#fdf6e3}
.Ignored,.CompileError,.RuntimeError{border-color:#999;background:#eee}
details{margin:1em 0}summary{cursor:pointer;font-weight:600}ul{margin:.3em 0}li code{background:#f0f0f0}`;

const script = `(function(){
var report = JSON.parse(document.getElementById('report-data').textContent);
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c];});}
function score(ms){var d=0,v=0;ms.forEach(function(m){if(m.status==='Killed'||m.status==='Timeout'){d++;v++;}else if(m.status==='Survived'||m.status==='NoCoverage'){v++;}});return v?d/v*100:NaN;}
function cls(s){var t=report.thresholds;return isNaN(s)?'':s>=t.high?'good':s>=t.low?'warn':'bad';}
function count(ms,st){return ms.filter(function(m){return m.status===st;}).length;}
var names=Object.keys(report.files).sort(),all=[];
var rows=names.map(function(n){var ms=report.files[n].mutants;all=all.concat(ms);var s=score(ms);
 return '<tr><td><a href="#f-'+esc(n)+'">'+esc(n)+'</a></td><td class="'+cls(s)+'">'+(isNaN(s)?'n/a':s.toFixed(2))+'</td><td>'+count(ms,'Killed')+'</td><td>'+count(ms,'Survived')+'</td><td>'+count(ms,'Timeout')+'</td><td>'+count(ms,'NoCoverage')+'</td><td>'+ms.length+'</td></tr>';});
var total=score(all);
document.getElementById('summary').innerHTML='<p>Mutation score: <strong class="'+cls(total)+'">'+(isNaN(total)?'n/a':total.toFixed(2))+'</strong> over '+all.length+' mutants</p><table><tr><th>file</th><th>score</th><th>killed</th><th>survived</th><th>timeout</th><th>no coverage</th><th>total</th></tr>'+rows.join('')+'</table>';
function offsets(src){var o=[0];for(var i=0;i<src.length;i++)if(src[i]==='\\n')o.push(i+1);return o;}
document.getElementById('files').innerHTML=names.map(function(n){var f=report.files[n],src=f.source,lines=offsets(src);
 var pos=function(p){return lines[p.line-1]+p.column-1;};
 var ms=f.mutants.slice().sort(function(a,b){return pos(a.location.start)-pos(b.location.start);});
 var out='',at=0;
 // Outermost mutants are highlighted; the list below names every mutant.
 ms.forEach(function(m){var s=pos(m.location.start),e=pos(m.location.end);if(s<at)return;
  out+=esc(src.slice(at,s))+'<span class="m '+m.status+'" title="#'+m.id+' '+esc(m.mutatorName+' '+m.status+': '+m.replacement)+'">'+esc(src.slice(s,e))+'</span>';at=e;});
 out+=esc(src.slice(at));
 var list=ms.map(function(m){return '<li class="'+m.status+'">#'+m.id+' '+m.status+(m.static?' (static)':'')+' line '+m.location.start.line+': '+esc(m.mutatorName)+' <code>'+esc(m.replacement)+'</code></li>';}).join('');
 return '<details id="f-'+esc(n)+'"><summary>'+esc(n)+' ('+(isNaN(score(f.mutants))?'n/a':score(f.mutants).toFixed(2))+')</summary><pre>'+out+'</pre><ul>'+list+'</ul></details>';}).join('');
})();`;
