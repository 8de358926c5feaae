/**
 * The status page's only script (served as `<site>/local-time.js`; the CSP allows no inline
 * script): rewrites every `<time datetime>` into the visitor's time zone, in the page's language.
 * Without it the page still reads correctly: the server writes UTC, which also stays in the title.
 */
export const LOCAL_TIME_JS =
  '(function(){var l=document.documentElement.lang||void 0,y=new Date().getFullYear(),f,g;\ntry{var o={' +
  'month:"short",day:"numeric",hour:"2-digit",minute:"2-digit",hourCycle:"h23",timeZoneName:"short"};' +
  'f=new Intl.DateTimeFormat(l,o);o.year="numeric";g=new Intl.DateTimeFormat(l,o)}catch(e){' +
  'return}\nvar s=document.querySelectorAll("time[datetime]");for(var i=0;i<s.length;i++){' +
  'var t=s[i],d=new Date(t.getAttribute("datetime"));if(isNaN(d))continue;' +
  '\nif(!t.title)t.title=t.textContent;t.textContent=(d.getFullYear()===y?f:g).format(d);' +
  't.setAttribute("data-local","")}})();\n'
