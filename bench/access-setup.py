#!/usr/bin/env python3
"""Provisions the access benchmark through the admin API: one publisher with one tier-1
article and N organisations with K agnt_ keys each (default 1). Writes the Lua list wrk reads."""
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor

api, token, orgs, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
keys_per_org = int(sys.argv[5]) if len(sys.argv) > 5 else 1

def post(path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    req = urllib.request.Request(api + path, data=data, method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)

domain = "bench.example"
try:
    post("/admin/api/publishers", {"domain": domain, "name": "Bench"})
except urllib.error.HTTPError as e:
    if e.code != 409: raise
page = post(f"/admin/api/publishers/{domain}/content", {
    "contentId": "article_1", "path": "/article/1", "title": "Bench", "markdown": "# Bench\n\nwords " * 50,
    "tier": 1, "license": {"summary": "Standard usage allowed"}})["url"]

def org(i):
    org_id = post("/admin/api/orgs", {"name": f"bench-{i}", "plan": "Bench", "monthlyLimit": 1000000})["id"]
    return [post(f"/admin/api/orgs/{org_id}/keys")["apiKey"] for _ in range(keys_per_org)]

with ThreadPoolExecutor(8) as pool:
    per_org = list(pool.map(org, range(orgs)))
# Interleaved (org 1 key 1, org 2 key 1, ...): consecutive requests go to different orgs.
keys = [k[j] for j in range(keys_per_org) for k in per_org]

body = json.dumps({"url": page, "content_id": "article_1", "domain": domain, "tier": 1})
with open(out, "w") as f:
    f.write("keys = {\n" + ",\n".join(f'  "{k}"' for k in keys) + "\n}\n")
    f.write("body = [[" + body + "]]\n")
print(f"{orgs} orgs with {len(keys)} keys, article {page}")
