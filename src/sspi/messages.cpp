// EncryptMessage and DecryptMessage: one application record per call, in the
// caller's buffers (STREAM_HEADER | DATA | STREAM_TRAILER).
#include <cstring>

#include "sspi/common.hpp"

namespace dtls::sspi {

namespace {

size_t header_size(const Connection& conn) {
    const SuiteInfo* info = suite_info(conn.negotiated().cipher_suite);
    return kRecordHeader + (info ? info->explicit_nonce : 0);
}

SECURITY_STATUS usable(ContextObject& ctx) {
    if (ctx.failure) return fail(SEC_E_CONTEXT_EXPIRED, "the context has failed");
    if (!ctx.connection || !ctx.complete) return fail(SEC_E_INVALID_HANDLE, "the handshake has not completed");
    if (ctx.connection->state() == State::closed) return fail(SEC_E_CONTEXT_EXPIRED, "the connection is closed");
    return SEC_E_OK;
}

// The record the engine just sealed; datagrams it had queued before (a
// retransmission, an alert) stay queued for the next ISC/ASC call.
void set_aside_queued(ContextObject& ctx) {
    std::vector<uint8_t> datagram;
    while (ctx.outgoing.size() < 64 && ctx.connection->poll_datagram(datagram)) ctx.outgoing.push_back(datagram);
}

SECURITY_STATUS encrypt(ContextObject& ctx, PSecBufferDesc message) {
    if (SECURITY_STATUS s = usable(ctx); s != SEC_E_OK) return s;
    Connection& conn = *ctx.connection;
    SecBuffer* header = find_buffer(message, SECBUFFER_STREAM_HEADER);
    SecBuffer* data = find_buffer(message, SECBUFFER_DATA);
    SecBuffer* trailer = find_buffer(message, SECBUFFER_STREAM_TRAILER);
    if (!header || !data || !trailer || (!data->pvBuffer && data->cbBuffer)) {
        return fail(SEC_E_INVALID_TOKEN, "EncryptMessage needs SECBUFFER_STREAM_HEADER, SECBUFFER_DATA and "
                                         "SECBUFFER_STREAM_TRAILER buffers");
    }
    if (data->cbBuffer > conn.max_payload()) {
        return fail(SEC_E_INVALID_PARAMETER, "the message exceeds cbMaximumMessage (" +
                                                 std::to_string(conn.max_payload()) + " bytes at this MTU)");
    }
    const size_t h = header_size(conn);
    if (!header->pvBuffer || header->cbBuffer < h || !trailer->pvBuffer || trailer->cbBuffer < kAeadTag) {
        return fail(SEC_E_BUFFER_TOO_SMALL, "the header or trailer buffer is smaller than cbHeader / cbTrailer");
    }
    set_aside_queued(ctx);
    std::span<const uint8_t> plaintext = bytes_of(*data);
    if (Status s = conn.send(plaintext, now()); !s) return fail(status_for(s.error()), s.error().reason);
    std::vector<uint8_t> record;
    if (!conn.poll_datagram(record) || record.size() != h + plaintext.size() + kAeadTag) {
        return fail(SEC_E_INTERNAL_ERROR, "the sealed record has an unexpected size");
    }
    std::memcpy(header->pvBuffer, record.data(), h);
    std::memcpy(data->pvBuffer, record.data() + h, plaintext.size());
    std::memcpy(trailer->pvBuffer, record.data() + h + plaintext.size(), kAeadTag);
    header->cbBuffer = static_cast<ULONG>(h);
    trailer->cbBuffer = static_cast<ULONG>(kAeadTag);
    return SEC_E_OK;
}

// The buffers DecryptMessage describes its result in: the DATA buffer and
// the EMPTY ones, in order, become STREAM_HEADER, DATA, STREAM_TRAILER and
// (if more records follow) EXTRA, as Schannel lays them out.
struct Layout {
    std::vector<SecBuffer*> slots;
    void set(uint8_t* base, size_t header, size_t plaintext, size_t trailer, std::span<uint8_t> rest) {
        auto put = [&](size_t i, ULONG type, void* p, size_t n) {
            if (i < slots.size()) *slots[i] = SecBuffer{static_cast<ULONG>(n), type, n ? p : nullptr};
        };
        put(0, SECBUFFER_STREAM_HEADER, base, header);
        put(1, SECBUFFER_DATA, base + header, plaintext);
        put(2, SECBUFFER_STREAM_TRAILER, base + header + plaintext, trailer);
        put(3, rest.empty() ? SECBUFFER_EMPTY : SECBUFFER_EXTRA, rest.data(), rest.size());
    }
};

SECURITY_STATUS decrypt(ContextObject& ctx, PSecBufferDesc message) {
    if (ctx.failure) return fail(SEC_E_CONTEXT_EXPIRED, "the context has failed");
    if (!ctx.connection || !ctx.complete) return fail(SEC_E_INVALID_HANDLE, "the handshake has not completed");
    Connection& conn = *ctx.connection;
    if (ctx.peer_closed || conn.state() == State::closed) {
        return fail(SEC_I_CONTEXT_EXPIRED, "the peer sent close_notify (or we did)");
    }

    Layout layout;
    SecBuffer* data = nullptr;
    for (ULONG i = 0; message && message->pBuffers && i < message->cBuffers; ++i) {
        SecBuffer& b = message->pBuffers[i];
        if (!data && buffer_type(b) == SECBUFFER_DATA) {
            data = &b;
            layout.slots.insert(layout.slots.begin(), &b);
        } else if (buffer_type(b) == SECBUFFER_EMPTY) {
            layout.slots.push_back(&b);
        }
    }
    if (!data || !data->pvBuffer || layout.slots.size() < 3) {
        return fail(SEC_E_INVALID_TOKEN, "DecryptMessage needs one SECBUFFER_DATA and three SECBUFFER_EMPTY buffers");
    }
    std::span<uint8_t> bytes = bytes_of(*data);
    // One record per call, framed by its header's length field; the rest of
    // the datagram is returned as SECBUFFER_EXTRA for the next call.
    if (bytes.size() < kRecordHeader) return fail(SEC_E_INVALID_TOKEN, "shorter than a DTLS record header");
    const size_t record_size = kRecordHeader + ((size_t{bytes[11]} << 8) | bytes[12]);
    if (record_size > bytes.size()) return fail(SEC_E_INVALID_TOKEN, "a truncated DTLS record");
    std::span<uint8_t> rest = bytes.subspan(record_size);

    const uint64_t dropped_before = conn.stats().records_dropped;
    conn.handle_datagram(bytes.first(record_size), now());
    std::optional<Bytes> plaintext;
    while (std::optional<Event> e = conn.poll_event()) {
        if (auto* app = std::get_if<event::ApplicationData>(&*e)) {
            if (!plaintext) plaintext = std::move(app->data);
        } else if (std::holds_alternative<event::Closed>(*e)) {
            ctx.peer_closed = true;
        } else if (auto* failed = std::get_if<event::Failed>(&*e)) {
            ctx.failure = fail(status_for(failed->error), failed->error.reason);
        }
    }
    const size_t queued = ctx.outgoing.size();
    set_aside_queued(ctx);

    if (plaintext) {
        const size_t h = header_size(conn);
        std::memcpy(bytes.data() + h, plaintext->data(), plaintext->size());
        layout.set(bytes.data(), h, plaintext->size(), record_size - h - plaintext->size(), rest);
        return SEC_E_OK;
    }
    layout.set(bytes.data(), record_size, 0, 0, rest);
    if (ctx.failure) return *ctx.failure;
    if (ctx.peer_closed) return fail(SEC_I_CONTEXT_EXPIRED, "the peer sent close_notify");
    if (ctx.outgoing.size() > queued) {
        // A retransmitted handshake flight: our answer was lost. Schannel
        // asks the application to return to the handshake loop.
        ctx.retransmit_pending = true;
        return fail(SEC_E_UNFINISHED_CONTEXT_DELETED,
                    "the peer resent its last handshake flight: call AcceptSecurityContext / "
                    "InitializeSecurityContext with this datagram to send the answer again");
    }
    if (conn.stats().records_dropped > dropped_before) {
        return fail(SEC_E_OUT_OF_SEQUENCE, "record discarded (replayed, outside the window, or not authentic); "
                                           "the context is unchanged");
    }
    return SEC_E_OK;  // nothing for the application (e.g. a stale handshake record)
}

}  // namespace

}  // namespace dtls::sspi

using namespace dtls::sspi;

extern "C" {

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG, PSecBufferDesc pMessage, ULONG) {
    clear_last_error();
    std::shared_ptr<ContextObject> ctx = find_context(phContext);
    if (!ctx) return fail(SEC_E_INVALID_HANDLE, "not a context handle");
    std::lock_guard lock(ctx->mutex);
    return encrypt(*ctx, pMessage);
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG, PULONG pfQOP) {
    clear_last_error();
    if (pfQOP) *pfQOP = 0;
    std::shared_ptr<ContextObject> ctx = find_context(phContext);
    if (!ctx) return fail(SEC_E_INVALID_HANDLE, "not a context handle");
    std::lock_guard lock(ctx->mutex);
    return decrypt(*ctx, pMessage);
}

}  // extern "C"
