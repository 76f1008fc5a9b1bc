"""The FCM HTTP v1 and APNs senders, against local doubles of Google's and Apple's services:
the requests they send (OAuth2 service-account JWT, HTTP/2 with a provider token) and
what they make of the answers."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.parse
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import h2.config
import h2.connection
import h2.events
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from notifications.push_apns import ApnsSender
from notifications.push_fcm import SCOPE, FcmSender
from notifications.push_gateway import Gateway, Outcome
from server.settings import load_settings
from server.vapid import new_private_key

PAYLOAD = {"title": "提醒: 回访", "body": "上海瑞丽服装", "url": "/app/task/7", "kind": "reminder", "tag": "notification-9"}


def pem(key: Any) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class GoogleDouble:
    """Google's token endpoint and the FCM v1 send endpoint."""

    def __init__(self, public_key: Any) -> None:
        self.public_key, self.requests, self.tokens_issued = public_key, [], 0
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, answer = double.answer(self.path, dict(self.headers), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        if path == "/token":
            form = urllib.parse.parse_qs(body.decode())
            assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
            claims = jwt.decode(form["assertion"][0], self.public_key, algorithms=["RS256"],
                                audience=self.origin + "/token")
            assert claims["iss"] == "fieldline@test-project.iam.gserviceaccount.com" and claims["scope"] == SCOPE
            assert jwt.get_unverified_header(form["assertion"][0])["kid"] == "key-1"
            self.tokens_issued += 1
            return 200, {"access_token": f"access-{self.tokens_issued}", "expires_in": 3600, "token_type": "Bearer"}
        message = json.loads(body)["message"]
        self.requests.append((path, headers.get("Authorization"), message))
        if message["token"] == "gone-token":
            return 404, {"error": {"status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}}
        return 200, {"name": "projects/test-project/messages/1"}


@pytest.fixture
def google(tmp_path: Any) -> Iterator[tuple[GoogleDouble, str]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    double = GoogleDouble(key.public_key())
    account = {"type": "service_account", "project_id": "test-project", "private_key_id": "key-1",
               "private_key": pem(key), "client_email": "fieldline@test-project.iam.gserviceaccount.com",
               "token_uri": double.origin + "/token"}
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(account))
    threading.Thread(target=double.server.serve_forever, daemon=True).start()
    yield double, str(path)
    double.server.shutdown()
    double.server.server_close()


async def test_fcm_sends_an_http_v1_message_with_an_oauth2_token_from_the_service_account(google: Any) -> None:
    double, account = google
    settings = load_settings({"FIELDLINE_FCM_SERVICE_ACCOUNT_FILE": account, "FIELDLINE_FCM_API_URL": double.origin})
    sender = FcmSender(settings)
    try:
        first = await sender.send(SimpleNamespace(token="device-token-1"), PAYLOAD)  # type: ignore[arg-type]
        second = await sender.send(SimpleNamespace(token="device-token-2"), PAYLOAD)  # type: ignore[arg-type]
        gone = await sender.send(SimpleNamespace(token="gone-token"), PAYLOAD)  # type: ignore[arg-type]
    finally:
        await sender.close()
    assert (first.outcome, second.outcome, gone.outcome) == (Outcome.SENT, Outcome.SENT, Outcome.GONE)
    assert double.tokens_issued == 1  # the access token is reused until it nears its end
    path, authorization, message = double.requests[0]
    assert path == "/v1/projects/test-project/messages:send" and authorization == "Bearer access-1"
    assert message["token"] == "device-token-1"
    assert message["notification"] == {"title": PAYLOAD["title"], "body": PAYLOAD["body"]}
    assert message["data"] == {"url": "/app/task/7", "kind": "reminder", "tag": "notification-9"}
    assert message["android"]["priority"] == "high" and message["android"]["collapse_key"] == "notification-9"


class AppleDouble:
    """APNs over cleartext HTTP/2 (prior knowledge), as httpx with h2 speaks it to an http:// URL."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.server: asyncio.AbstractServer | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
        connection.initiate_connection()
        writer.write(connection.data_to_send())
        streams: dict[int, tuple[dict[str, str], bytearray]] = {}
        while data := await reader.read(65535):
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    streams[event.stream_id] = (dict(event.headers), bytearray())
                elif isinstance(event, h2.events.DataReceived):
                    streams[event.stream_id][1].extend(event.data)
                    connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    headers, body = streams.pop(event.stream_id)
                    self.requests.append((headers, bytes(body)))
                    self.respond(connection, event.stream_id, headers[":path"].rsplit("/", 1)[-1])
            writer.write(connection.data_to_send())
            await writer.drain()
        writer.close()

    @staticmethod
    def respond(connection: Any, stream_id: int, token: str) -> None:
        answers = {"gone": (410, {"reason": "Unregistered"}), "bad": (400, {"reason": "BadDeviceToken"}),
                   "busy": (429, {"reason": "TooManyRequests"})}
        status, reason = answers.get(token, (200, None))
        connection.send_headers(stream_id, [(":status", str(status)), ("apns-id", "00000000-0000-0000-0000-000000000001")],
                                end_stream=reason is None)
        if reason is not None:
            connection.send_data(stream_id, json.dumps(reason).encode(), end_stream=True)


@pytest.fixture
async def apple(tmp_path: Any) -> AsyncIterator[tuple[AppleDouble, dict[str, str], Any]]:
    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "AuthKey_ABC123DEFG.p8"
    path.write_text(pem(key))
    double = AppleDouble()
    env = {"FIELDLINE_APNS_KEY_FILE": str(path), "FIELDLINE_APNS_KEY_ID": "ABC123DEFG",
           "FIELDLINE_APNS_TEAM_ID": "TEAM123456", "FIELDLINE_APNS_TOPIC": "com.example.fieldline",
           "FIELDLINE_APNS_URL": await double.start()}
    yield double, env, key.public_key()
    assert double.server is not None
    double.server.close()


async def test_apns_posts_over_http2_with_a_provider_token(apple: Any) -> None:
    double, env, public_key = apple
    sender = ApnsSender(load_settings(env))
    try:
        results = [await sender.send(SimpleNamespace(token=t), PAYLOAD)  # type: ignore[arg-type]
                   for t in ("a1b2c3", "gone", "bad", "busy")]
    finally:
        await sender.close()
    assert [r.outcome for r in results] == [Outcome.SENT, Outcome.GONE, Outcome.GONE, Outcome.RETRY]
    headers, body = double.requests[0]
    assert headers[":method"] == "POST" and headers[":path"] == "/3/device/a1b2c3"
    assert headers["apns-topic"] == "com.example.fieldline" and headers["apns-push-type"] == "alert"
    assert headers["apns-priority"] == "10" and headers["apns-collapse-id"] == "notification-9"
    scheme, token = headers["authorization"].split(" ")
    assert scheme == "bearer"
    assert jwt.get_unverified_header(token)["kid"] == "ABC123DEFG"
    assert jwt.decode(token, public_key, algorithms=["ES256"])["iss"] == "TEAM123456"
    assert json.loads(body) == {"aps": {"alert": {"title": PAYLOAD["title"], "body": PAYLOAD["body"]},
                                        "sound": "default", "thread-id": "reminder"},
                                "url": "/app/task/7", "kind": "reminder"}
    assert len({h["authorization"] for h, _ in double.requests}) == 1  # one provider token, reused


async def test_only_configured_gateways_exist(google: Any, apple: Any) -> None:
    _, account = google
    _, apns_env, _ = apple
    bare = Gateway.from_settings(load_settings({}), new_private_key())
    assert sorted(bare.senders) == ["webpush"]
    half = load_settings({**apns_env, "FIELDLINE_APNS_TOPIC": ""})
    assert sorted(half.push_senders) == ["webpush"]  # APNs needs key, key id, team and topic
    full = Gateway.from_settings(load_settings({**apns_env, "FIELDLINE_FCM_SERVICE_ACCOUNT_FILE": account}), new_private_key())
    try:
        assert sorted(full.senders) == ["apns", "fcm", "webpush"]
        result = await bare.send(SimpleNamespace(kind="fcm", token="t"), PAYLOAD)  # type: ignore[arg-type]
        assert result.outcome is Outcome.FAILED
    finally:
        await full.close()
        await bare.close()
