#include "daemon/web/html.hpp"

namespace jk::daemon {

const std::string& stylesheet() {
    // Contrast: text #1a1a1a on white (16:1), links #0b4f8a (8:1), status colours with text
    // labels besides colour.
    static const std::string css = R"CSS(
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header{background:#0b3d6b;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a{color:#fff}
header .brand{font-weight:700;margin-right:auto;text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#0b4f8a}
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #f5a623;outline-offset:2px}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #c8c8c8;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f6}
.scroll{overflow-x:auto}
.muted{color:#555}
.sub{display:block;font-weight:normal;font-size:.9em}
.card{border:1px solid #c8c8c8;border-radius:6px;padding:.75rem 1rem;margin:.5rem 0}
.flash{background:#e8f5e9;border:1px solid #2e7d32;padding:.5rem 1rem;border-radius:6px}
.error{background:#fdecea;border:1px solid #b3261e;padding:.5rem 1rem;border-radius:6px}
.ok{background:#d8f0dc}.late{background:#fff1c2}.over{background:#f9d6d2}.pending{background:#f2f2f2}.none{background:#e6e6e6}
button,.button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid #0b3d6b;background:#0b3d6b;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#0b3d6b}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}
input,select,textarea{font:inherit;padding:.4rem;border:1px solid #767676;border-radius:4px;max-width:100%}
form.inline{display:inline}
label.inline{display:inline;font-weight:400}
fieldset{border:1px solid #c8c8c8;border-radius:6px;margin:.75rem 0;padding:.25rem .75rem .5rem}
legend{font-weight:600;padding:0 .25rem}
.field{margin:.25rem 0 .75rem}
.hint{color:#555;margin:.1rem 0;font-size:.9rem}
.field-error{color:#b3261e;font-weight:600;margin:.2rem 0}
.has-error input,.has-error select,fieldset.has-error{border:2px solid #b3261e}
caption{text-align:left;font-weight:600;padding:.25rem 0}
header .who{color:#fff}
ul.events{padding-left:1.2rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem}
.month table{font-size:.8rem}.month td{padding:.1rem .2rem;text-align:center}
.vak{background:#d7e8fb}.feest{background:#f9d6d2}.studie{background:#fff1c2}.toets{background:#e4d7f5}
svg text{font-size:11px}
.scroll th[scope=row]{position:sticky;left:0}
table.cycle{font-size:.9rem}table.cycle td{white-space:nowrap}
@media (max-width:40rem){table.stack thead{position:absolute;left:-9999px}table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:auto}table.stack tr{border:1px solid #c8c8c8;border-radius:6px;margin:.5rem 0;padding:.25rem .5rem}table.stack td{border:none;padding:.2rem 0}table.stack input{width:100%;box-sizing:border-box}}
table.figures{font-size:.9rem}table.figures th,table.figures td{padding:.3rem .4rem}
.month ul.month-events{font-size:.8rem;margin:.25rem 0;padding-left:1rem}
.figures td{white-space:nowrap}
figure.qr{margin:.75rem 0}figure.qr svg{display:block;width:200px;height:200px}figure.qr figcaption{font-size:.9rem;color:#555}
@media (max-width:40rem){main{padding:.5rem}th,td{padding:.25rem}}
table.jaarplanning{font-size:.8rem}table.jaarplanning td,table.jaarplanning th{min-width:6rem}
table.jaarplanning tr.plan-month th{background:#0b3d6b;color:#fff;text-transform:capitalize}
table.jaarplanning tr.closed td,table.jaarplanning tr.closed th{background:#eeeeee}
.url{overflow-wrap:anywhere}
form.filters{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:end}
form.filters label{margin:0}
@page{size:A4 landscape;margin:1cm}
@page a3{size:A3 landscape;margin:1cm}
.a3 table.jaarplanning{page:a3}
@media print{.no-print{display:none}table.jaarplanning{font-size:7pt}table.jaarplanning td,table.jaarplanning th{min-width:0;padding:.1rem .2rem}table.jaarplanning tbody.plan-month+tbody.plan-month{break-before:page}table.jaarplanning caption{font-size:11pt}table.jaarplanning tr.plan-month th{background:#fff;color:#000;border-bottom:2px solid #000}h1{font-size:12pt;margin:0 0 .25rem}}
@media print{header,nav,form,button,.button,details>summary{display:none}main{max-width:none;padding:0}.scroll{overflow:visible}a{color:inherit;text-decoration:none}th,td{border-color:#777}.ok,.late,.over,.pending,.none,.vak,.feest,.studie,.toets{-webkit-print-color-adjust:exact;print-color-adjust:exact}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}
)CSS";
    return css;
}

HttpResponse html_page(int status, const std::string& title, const std::string& body_html,
                       const std::string& nav_html) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "text/html; charset=utf-8"},
                 {"Cache-Control", "no-store"},
                 {"Content-Security-Policy",
                  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action "
                  "'self'; frame-ancestors 'none'; base-uri 'none'"},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Referrer-Policy", "same-origin"}};
    r.body =
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>" +
        html_escape(title) +
        " – Jaarkalender</title>\n<link rel=\"stylesheet\" href=\"/static/jk.css\">\n"
        "</head>\n<body>\n<header><a class=\"brand\" href=\"/\">Jaarkalender</a>" +
        nav_html + "</header>\n<main id=\"inhoud\">\n<h1>" + html_escape(title) + "</h1>\n" +
        body_html + "\n</main>\n</body>\n</html>\n";
    return r;
}

}  // namespace jk::daemon
