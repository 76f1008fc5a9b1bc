// A minimal Fieldline client in Kotlin (JVM or Android) with OkHttp 4 and org.json:
// sign in, open the socket, resume after a drop with ?since=<last seq>.
//   implementation("com.squareup.okhttp3:okhttp:4.12.0")
// The protocol is in docs/api.md ("Real-time channel").

import okhttp3.*
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.RequestBody.Companion.toRequestBody
import org.json.JSONObject
import java.util.UUID
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class FieldlineClient(private val base: String) {
    private val http = OkHttpClient.Builder().pingInterval(25, TimeUnit.SECONDS).build()
    private val json = "application/json".toMediaType()
    private val retry = Executors.newSingleThreadScheduledExecutor()
    private var accessToken = ""
    private var refreshToken = ""
    @Volatile var lastSeq: Long? = null  // persist it with your local data to resume after a restart
    private var attempt = 0

    fun signIn(login: String, password: String) {
        val answer = post("/api/v1/auth/login", JSONObject().put("login", login).put("password", password), auth = false)
        accessToken = answer.getString("access_token")
        refreshToken = answer.getString("refresh_token")
    }

    /** The old refresh token is spent by this call: using it again ends the whole session. */
    fun refresh() {
        val answer = post("/api/v1/auth/refresh", JSONObject().put("refresh_token", refreshToken), auth = false)
        accessToken = answer.getString("access_token")
        refreshToken = answer.getString("refresh_token")
    }

    fun post(path: String, body: JSONObject, auth: Boolean = true): JSONObject {
        val request = Request.Builder().url(base + path)
            .post(body.toString().toRequestBody(json))
            .header("Idempotency-Key", UUID.randomUUID().toString())  // a retried create makes one record
            .apply { if (auth) header("Authorization", "Bearer $accessToken") }
            .build()
        http.newCall(request).execute().use { response ->
            val answer = JSONObject(response.body!!.string())
            if (!response.isSuccessful) {
                val error = answer.getJSONObject("error")
                throw IllegalStateException(
                    "${error.getString("code")}: ${error.getString("message")} (request ${response.header("X-Request-ID")})")
            }
            return answer
        }
    }

    fun connect(onEvent: (type: String, data: JSONObject?) -> Unit) {
        val url = base.replaceFirst("http", "ws") + "/ws" + (lastSeq?.let { "?since=$it" } ?: "")
        val request = Request.Builder().url(url).header("Authorization", "Bearer $accessToken").build()
        http.newWebSocket(request, object : WebSocketListener() {
            override fun onMessage(webSocket: WebSocket, text: String) {
                val frame = JSONObject(text)
                val type = frame.getString("type")
                when {
                    type == "hello" -> { attempt = 0; if (lastSeq == null) lastSeq = frame.getJSONObject("data").getLong("last_seq") }
                    type == "resync_required" -> { lastSeq = null; onEvent(type, null) }  // re-read through REST
                    frame.has("seq") -> {
                        val seq = frame.getLong("seq")
                        if (seq > (lastSeq ?: 0)) { lastSeq = seq; onEvent(type, frame.optJSONObject("data")) }
                    }
                    else -> onEvent(type, frame.optJSONObject("data"))  // typing, presence, ack, pong, error
                }
            }

            override fun onClosed(webSocket: WebSocket, code: Int, reason: String) = reconnect(code, onEvent)
            override fun onFailure(webSocket: WebSocket, t: Throwable, response: Response?) = reconnect(1006, onEvent)
        })
    }

    private fun reconnect(code: Int, onEvent: (String, JSONObject?) -> Unit) {
        if (code == 4403) return  // the session was revoked: sign in again
        val delayMs = minOf(30_000L, 500L shl minOf(attempt++, 6)) * (50 + (0..100).random()) / 100
        retry.schedule({
            if (code == 4401) runCatching { refresh() }
            connect(onEvent)
        }, delayMs, TimeUnit.MILLISECONDS)
    }
}

fun main() {
    val client = FieldlineClient("http://127.0.0.1:8000")
    client.signIn("wang.jl", "fieldline-demo")
    client.connect { type, data -> println("$type ${data ?: ""}") }
}
