#!/usr/bin/env bash
# deploy/nginx/jaarkalender.conf, checked with `nginx -t` and then run for real in front of the
# daemon: TLS (a self-signed certificate in place of certbot's), feeds passed on byte for byte
# without gzip or redirects, http to https for the pages, and the client's address reaching the
# daemon's throttle through X-Forwarded-For while a forged one is ignored.
#
#   nginx_test.sh JAARKALENDER SOURCE_DIR
set -eu
bin=$1
src=$2
work=$(mktemp -d)
nginx_pid=""
pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "---- nginx"; cat "$work/error.log" 2>/dev/null | tail -20; echo "---- daemon"; tail -20 "$work/serve.log"; exit 1; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The daemon, trusting nginx on 127.0.0.1.
cat >"$work/jk.toml" <<TOML
[server]
listen = "127.0.0.1"
port = 0
public_url = "https://jaarkalender.example.org"
trusted_proxies = ["127.0.0.1"]
[store]
sqlite = "jk.db"
[calendars]
folder = "$src/calendars"
[mail]
mode = "off"
TOML
token=$("$bin" subscribe --config "$work/jk.toml" voorbeeldschool school | head -1 | sed 's#.*/feeds/##; s#\.ics$##')
source "$src/tests/daemon/daemon_lib.sh"
start

# The shipped site, with only what differs on a test machine replaced: the certificate, the
# ports, the daemon's port, the include's and the webroot's folders.
http_port=$(free_port)
https_port=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=jaarkalender.example.org" \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/jaarkalender.example.org/#$work/#" \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#; s#listen \[::\]:80;##" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#; s#listen \[::\]:443 ssl http2;##" \
    -e "s#server 127.0.0.1:8080 #server 127.0.0.1:$port #" \
    -e "s#/etc/nginx/jaarkalender-proxy.conf#$src/deploy/nginx/jaarkalender-proxy.conf#" \
    -e "s#/var/www/letsencrypt#$work/www#" \
    "$src/deploy/nginx/jaarkalender.conf" >"$work/site.conf"
grep -q "ssl_certificate $work/fullchain.pem" "$work/site.conf" || fail "certificate path not replaced"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    gzip on;  # as Debian's nginx.conf: the site must turn it off for the feeds
    gzip_types text/calendar text/plain;
    gzip_min_length 20;
    include $work/site.conf;
}
CONF
/usr/sbin/nginx -t -p "$work" -c "$work/nginx.conf" -e "$work/error.log" 2>"$work/t.log" || { cat "$work/t.log"; fail "nginx -t"; }
grep -q "syntax is ok" "$work/t.log" || fail "nginx -t said: $(cat "$work/t.log")"
echo "ok   nginx -t accepts deploy/nginx/jaarkalender.conf"
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -e "$work/error.log" -g "daemon off;" &
nginx_pid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$http_port/" && break; sleep 0.1; done

host=(-H "Host: jaarkalender.example.org")
curl -s -o "$work/direct.ics" "http://127.0.0.1:$port/feeds/$token.ics"
code=$(curl -sk "${host[@]}" -H "Accept-Encoding: gzip" -D "$work/h1" -o "$work/tls.ics" -w '%{http_code}' \
  "https://127.0.0.1:$https_port/feeds/$token.ics")
[ "$code" = 200 ] || fail "feed over TLS: $code"
cmp -s "$work/direct.ics" "$work/tls.ics" || fail "feed bytes differ through nginx"
grep -qi '^content-encoding' "$work/h1" && fail "the feed was gzipped"
etag=$(grep -i '^etag:' "$work/h1" | cut -d' ' -f2 | tr -d '\r')
[ -n "$etag" ] || fail "no ETag through nginx"
code=$(curl -sk "${host[@]}" -H "If-None-Match: $etag" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$https_port/feeds/$token.ics")
[ "$code" = 304 ] || fail "If-None-Match through nginx: $code"
echo "ok   the feed over TLS: the daemon's bytes, no gzip, its ETag and 304"
code=$(curl -s "${host[@]}" -o "$work/plain.ics" -w '%{http_code}' "http://127.0.0.1:$http_port/feeds/$token.ics")
[ "$code" = 200 ] && cmp -s "$work/direct.ics" "$work/plain.ics" || fail "feed over http: $code"
loc=$(curl -s "${host[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/inloggen")
[ "$loc" = "301 https://jaarkalender.example.org/inloggen" ] || fail "pages over http: $loc"
echo "ok   over http the feed is served as is, a page is sent to https"
code=$(curl -sk "${host[@]}" -o "$work/page.html" -w '%{http_code}' "https://127.0.0.1:$https_port/inloggen")
[ "$code" = 200 ] && grep -q "Inloggen" "$work/page.html" || fail "sign-in page through nginx: $code"
code=$(curl -sk "${host[@]}" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$https_port/readyz")
[ "$code" = 200 ] || fail "/readyz through nginx: $code"

# Sign-in requests from 127.0.0.2 with a forged X-Forwarded-For: the daemon's throttle counts
# 127.0.0.2 (what nginx adds), never the forged address.
for i in $(seq 12); do
  curl -sk --interface 127.0.0.2 "${host[@]}" -H "X-Forwarded-For: 6.6.6.$i" \
    -H "Origin: https://jaarkalender.example.org" --data "email=iemand$i%40voorbeeld.nl" \
    -o /dev/null "https://127.0.0.1:$https_port/inloggen"
done
# The log line is written as the request is answered; allow the log a moment under load.
for _ in $(seq 100); do
  grep -q "client=127.0.0.2 sign-in requests throttled" "$work/serve.log" && break; sleep 0.05
done
grep -q "client=127.0.0.2 sign-in requests throttled" "$work/serve.log" || fail "the client's own address did not reach the throttle"
grep -q "client=6.6.6" "$work/serve.log" && fail "a forged X-Forwarded-For reached the throttle"
echo "ok   the throttle sees the client's address through nginx, not a forged one"
echo "nginx test passed"
