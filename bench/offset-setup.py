#!/usr/bin/env python3
"""Creates N approved offset links through the public flow: register agents, sign users up,
open each approval email's link and press Approve (POST). Writes "<apiKey> <linkId>" lines."""
import json, os, re, sys, time, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

api, mail_dir, out, links, agents = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
run = str(int(time.time()))

def post(path, body, key=None, form=False):
    data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/json"}
    if key: headers["Authorization"] = "Bearer " + key
    with urllib.request.urlopen(urllib.request.Request(api + path, data, headers)) as r:
        text = r.read().decode()
        return json.loads(text) if not form else text

keys = [post("/offset/api/agents/register", {"name": f"bench-agent-{i}", "description": "benchmark"})["apiKey"] for i in range(agents)]

def signup(i):
    email = f"bench-{run}-{i}@example.com"
    link = post("/offset/api/agents/signup-user", {"userEmail": email, "userName": f"User {i}"}, keys[i % agents])["linkId"]
    return email, keys[i % agents], link

with ThreadPoolExecutor(16) as pool:
    pending = list(pool.map(signup, range(links)))

wanted = {email for email, _, _ in pending}
urls, deadline = {}, time.time() + 120
while len(urls) < len(wanted) and time.time() < deadline:
    for name in os.listdir(mail_dir):
        if not name.endswith(".eml"): continue
        text = open(os.path.join(mail_dir, name), encoding="utf-8").read()
        to = re.search(r"^To: <([^>]+)>", text, re.M)
        url = re.search(r"^(http\S+/offset/approve\?\S+)$", text, re.M)
        if to and url and to.group(1) in wanted: urls[to.group(1)] = url.group(1).strip()
    time.sleep(0.5)
if len(urls) < len(wanted): sys.exit(f"only {len(urls)} of {len(wanted)} approval emails arrived")

def approve(item):
    email, key, link = item
    q = urllib.parse.parse_qs(urllib.parse.urlparse(urls[email]).query)
    urllib.request.urlopen(urls[email]).read()          # the page (changes nothing)
    post("/offset/approve", {"link": q["link"][0], "token": q["token"][0]}, form=True)
    return key, link

with ThreadPoolExecutor(16) as pool:
    approved = list(pool.map(approve, pending))
with open(out, "w") as f:
    for key, link in approved: f.write(f"{key} {link}\n")
print(f"{len(approved)} approved links over {agents} agents -> {out}")
