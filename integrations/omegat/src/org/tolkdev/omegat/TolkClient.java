package org.tolkdev.omegat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tolk.v1.GlossaryOuterClass.LookupTermsRequest;
import tolk.v1.GlossaryOuterClass.TermHit;
import tolk.v1.GlossaryServiceGrpc;
import tolk.v1.MemoryOuterClass.LookupRequest;
import tolk.v1.MemoryOuterClass.LookupResponse;
import tolk.v1.MemoryOuterClass.Match;
import tolk.v1.MemoryServiceGrpc;

/**
 * A gRPC client of a Tolk server, built from the .proto files only.
 *
 * <p>The address and token come from the Java system properties {@code tolk.addr} and
 * {@code tolk.token}, else from the environment variables {@code TOLK_ADDR} and
 * {@code TOLK_TOKEN}, as for the {@code tolk} command; the address defaults to
 * {@code 127.0.0.1:50051}. Each call may take {@code tolk.timeout.ms} / {@code TOLK_TIMEOUT_MS}
 * milliseconds (default 10,000; the first call also starts the connection). The connection is
 * plaintext (a loopback or trusted network).
 */
public final class TolkClient implements AutoCloseable {
    public static final String DEFAULT_ADDR = "127.0.0.1:50051";

    private static TolkClient shared;

    private final String addr;
    private final ManagedChannel channel;
    private final Channel calls;
    private final long timeoutMillis;

    public TolkClient(String addr, String token, long timeoutMillis) {
        this.addr = addr;
        this.timeoutMillis = timeoutMillis;
        this.channel = NettyChannelBuilder.forAddress(socketAddress(addr)).usePlaintext().build();
        this.calls = token == null || token.isEmpty()
                ? channel
                : ClientInterceptors.intercept(channel, new BearerToken(token));
    }

    /** The client for the configured server, created on first use and kept for the process. */
    public static synchronized TolkClient shared() {
        if (shared == null) {
            shared = new TolkClient(setting("tolk.addr", "TOLK_ADDR", DEFAULT_ADDR),
                    setting("tolk.token", "TOLK_TOKEN", ""),
                    Long.parseLong(setting("tolk.timeout.ms", "TOLK_TIMEOUT_MS", "10000")));
        }
        return shared;
    }

    /** A setting from a system property, else an environment variable, else the default. */
    public static String setting(String property, String env, String def) {
        String v = System.getProperty(property);
        if (v == null || v.trim().isEmpty()) {
            v = System.getenv(env);
        }
        return v == null || v.trim().isEmpty() ? def : v.trim();
    }

    public String address() {
        return addr;
    }

    /** The best translation-memory match of one Dutch segment, or null when there is none. */
    public Match bestMatch(String text) {
        LookupResponse resp;
        try {
            resp = MemoryServiceGrpc.newBlockingStub(calls)
                    .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                    .lookup(LookupRequest.newBuilder().setText(text).setLimit(1).build());
        } catch (StatusRuntimeException e) {
            throw failure("MemoryService.Lookup", e);
        }
        return resp.getMatchesCount() == 0 ? null : resp.getMatches(0);
    }

    /** The glossary terms found in a Dutch text, in text order. */
    public List<TermHit> terms(String text) {
        try {
            return GlossaryServiceGrpc.newBlockingStub(calls)
                    .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                    .lookupTerms(LookupTermsRequest.newBuilder().setText(text).build())
                    .getHitsList();
        } catch (StatusRuntimeException e) {
            throw failure("GlossaryService.LookupTerms", e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    private RuntimeException failure(String rpc, StatusRuntimeException e) {
        String msg = e.getStatus().getDescription();
        return new RuntimeException("Tolk at " + addr + ": " + rpc + ": " + e.getStatus().getCode()
                + (msg == null ? "" : ": " + msg), e);
    }

    static InetSocketAddress socketAddress(String addr) {
        int colon = addr.lastIndexOf(':');
        if (colon <= 0 || colon == addr.length() - 1) {
            throw new IllegalArgumentException("Tolk address must be HOST:PORT, got \"" + addr + "\"");
        }
        String host = addr.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(addr.substring(colon + 1)));
    }

    /** Sends "authorization: Bearer TOKEN" with every call, as the tolk command does. */
    private static final class BearerToken implements ClientInterceptor {
        private static final Metadata.Key<String> AUTHORIZATION =
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        private final String token;

        BearerToken(String token) {
            this.token = token;
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<Q, R>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.put(AUTHORIZATION, "Bearer " + token);
                    super.start(listener, headers);
                }
            };
        }
    }
}
