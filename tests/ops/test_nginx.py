"""deploy/nginx/fieldline.conf in front of two server processes on PostgreSQL +
Redis, with Debian's nginx run from a folder of the test's own (no root
configuration touched): sign-in over TLS, a socket upgraded and resumed, the
client address forwarded (and a forged one ignored), a slow-header client cut
off, both servers used."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import PASSWORD
from tests.support.live import ROOT, LiveServer, free_port, live_servers, live_client

SITE = ROOT / "deploy" / "nginx" / "fieldline.conf"
CLIENT_ADDRESS = "127.0.0.2"  # the test's "phone": another loopback address than nginx's own
HEADER_TIMEOUT_S = 2  # the site's 10 s, shortened so the test does not wait that long


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the site changed shape: {old!r} is not there exactly once"
    return text.replace(old, new)


def render_site(folder: Path, http_port: int, https_port: int, upstreams: list[int]) -> Path:
    site = SITE.read_text()
    site = _replace_once(site, "    server 127.0.0.1:8000;\n",
                         "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams))
    site = _replace_once(site, "    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{http_port};\n")
    site = _replace_once(site, "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n",
                         f"    listen 127.0.0.1:{https_port} ssl http2;\n")
    site = _replace_once(site, "/etc/letsencrypt/live/fieldline.example.com/fullchain.pem", str(folder / "cert.pem"))
    site = _replace_once(site, "/etc/letsencrypt/live/fieldline.example.com/privkey.pem", str(folder / "key.pem"))
    site = _replace_once(site, "client_header_timeout 10s;", f"client_header_timeout {HEADER_TIMEOUT_S}s;")
    site = _replace_once(site, "root /opt/fieldline/current/web;", f"root {ROOT / 'web'};")
    site = site.replace("/var/log/nginx/fieldline.access.log", str(folder / "access.log"))
    path = folder / "site.conf"
    path.write_text(site)
    return path


def nginx_conf(folder: Path, site: Path) -> Path:
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the test's files
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}daemon off;
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
{temp}
    include {site};
}}
""")
    return conf


def self_signed(folder: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=fieldline.example.com",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )


def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


async def _wait_for_nginx(process: subprocess.Popen[bytes], url: str, folder: Path) -> None:
    async with httpx.AsyncClient(verify=False) as client:
        for _ in range(200):
            assert process.poll() is None, (folder / "error.log").read_text()
            try:
                if (await client.get(f"{url}/healthz", timeout=1)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("nginx did not answer:\n" + (folder / "error.log").read_text())


def _log_lines(server: LiveServer) -> list[dict[str, Any]]:
    lines = []
    for line in server.log_path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


async def _event(socket_: Any, kind: str) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(socket_.recv(), 15))
        if frame.get("type") == kind:
            return frame


async def _task(client: httpx.AsyncClient, auth: dict[str, str], title: str) -> None:
    due = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).isoformat()
    response = await client.post("/api/v1/tasks", json={"title": title, "due_at": due}, headers=auth)
    assert response.status_code == 201, response.text


async def _slow_header_client_is_cut_off(port: int) -> bytes:
    """Send half a request and stop; nginx ends the connection after its header timeout."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=_tls(), local_addr=(CLIENT_ADDRESS, 0))
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: fieldline.example.com\r\n")
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), HEADER_TIMEOUT_S * 15)  # until nginx closes
    finally:
        writer.close()


async def test_nginx_site_in_front_of_two_servers(org: Any, test_env: dict[str, str], backend: str,
                                                  tmp_path: Path) -> None:
    if backend == "sqlite":
        pytest.skip("two server processes need PostgreSQL and Redis")
    assert shutil.which("nginx"), "nginx is in the Makefile's SYSTEM_PACKAGES: make system-deps"
    self_signed(tmp_path)
    http_port, https_port = free_port(), free_port()
    args = ("--proxy-headers", "--forwarded-allow-ips", "127.0.0.1")
    async with live_servers(test_env, 2, args=args) as servers:
        conf = nginx_conf(tmp_path, render_site(tmp_path, http_port, https_port, [s.port for s in servers]))
        nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        base = f"https://127.0.0.1:{https_port}"
        try:
            await _wait_for_nginx(nginx, base, tmp_path)
            transport = httpx.AsyncHTTPTransport(local_address=CLIENT_ADDRESS, verify=False)
            async with live_client(base_url=base, transport=transport, timeout=30) as client:
                # Plain HTTP is sent to HTTPS.
                async with httpx.AsyncClient() as direct:
                    plain = await direct.get(f"http://127.0.0.1:{http_port}/api/v1/me")
                assert plain.status_code == 301 and plain.headers["location"].startswith("https://")

                login = await client.post("/api/v1/auth/login", json={"login": "rep_sh", "password": PASSWORD},
                                          headers={"X-Forwarded-For": "198.51.100.66", "X-Request-ID": "forged"})
                assert login.status_code == 200, login.text
                request_id = login.headers["X-Request-ID"]
                assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id  # nginx's $request_id
                token = login.json()["access_token"]
                auth = {"Authorization": f"Bearer {token}"}

                # A socket through nginx: upgraded, an event live, one missed while away, resumed.
                async with connect(f"wss://127.0.0.1:{https_port}/ws?token={token}", ssl=_tls()) as ws:
                    assert (await _event(ws, "hello"))["data"]["user_id"] == org.rep_sh.id
                    await _task(client, auth, "Call Ruili back")
                    seen = await _event(ws, "task.updated")
                await _task(client, auth, "Send the quote")  # while no socket is open
                async with connect(f"wss://127.0.0.1:{https_port}/ws?since={seen['seq']}&token={token}", ssl=_tls()) as ws:
                    await _event(ws, "hello")
                    missed = await _event(ws, "task.updated")
                    assert missed["seq"] == seen["seq"] + 1 and missed["data"]["title"] == "Send the quote"

                for _ in range(6):
                    assert (await client.get("/healthz")).status_code == 200

            answer = await _slow_header_client_is_cut_off(https_port)
            assert b"200 OK" not in answer
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    lines = [line for server in servers for line in _log_lines(server)]
    login_lines = [line for line in lines if line.get("request_id") == request_id and line.get("path") == "/api/v1/auth/login"]
    assert login_lines and login_lines[0]["client"] == CLIENT_ADDRESS  # the phone, not nginx, not the forged one
    assert all(any(line.get("path") == "/healthz" for line in _log_lines(server)) for server in servers)
    assert "client timed out" in (tmp_path / "error.log").read_text()
