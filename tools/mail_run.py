"""Runs jk_mail_driver over 120 days of the example school and keeps every mail the SMTP server
receives, one file each (tools/same-output)."""
import subprocess, sys, os, shutil, time, json
from aiosmtpd.controller import Controller
drv, out, calendars = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(out, ignore_errors=True); os.makedirs(out)
msgs = []
class H:
    async def handle_DATA(self, server, session, envelope):
        msgs.append((envelope.rcpt_tos, envelope.content))
        return '250 OK'
import socket
s=socket.socket(); s.bind(('127.0.0.1',0)); port=s.getsockname()[1]; s.close()
c = Controller(H(), hostname='127.0.0.1', port=port); c.start()

db = out + '.db'
if os.path.exists(db): os.remove(db)
for x in ('-wal','-shm'):
    if os.path.exists(db+x): os.remove(db+x)
p = subprocess.Popen([drv, db, calendars, f'smtp://127.0.0.1:{port}'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
def cmd(l):
    p.stdin.write(l + '\n'); p.stdin.flush(); return p.stdout.readline()
t0 = 1789200000  # early Sept 2026
cmd(f'now {t0}')
ev = json.loads(cmd('events voorbeeldschool'))
uids = [e['uid'] for e in (ev if isinstance(ev, list) else ev.get('events', []))][:3]
for step in range(0, 120):
    cmd(f'now {t0 + step * 86400 + 6*3600}')
    if step == 30 and uids:
        cmd(f'change voorbeeldschool {uids[0]} cancel')
    cmd('tick')
cmd('quit'); p.wait(); time.sleep(0.5); c.stop()
for i, (to, data) in enumerate(msgs):
    open(os.path.join(out, f'{i:05d}.eml'), 'wb').write((','.join(to) + '\n').encode() + data)
print(len(msgs), 'messages')
