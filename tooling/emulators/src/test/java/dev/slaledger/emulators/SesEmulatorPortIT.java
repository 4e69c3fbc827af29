package dev.slaledger.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The SES emulator's start under a port race (the notices module's ITs failed once in two clean CI runs
 * under load): a port found free can be taken before the emulator binds it, and whatever holds it may
 * answer /health-check (another build's emulator). The start must not take that for ready (the tests
 * would read another emulator's mail) and must try another port.
 */
class SesEmulatorPortIT {

    @Test
    @DisplayName("a taken port whose holder answers /health-check is not taken for ready: the emulator starts on another")
    void takenPortIsNotReady() throws Exception {
        Path bin = SesEmulator.find(SesEmulator.repoRoot()).orElseThrow(
                () -> new AssertionError("run `npm ci` at the repository root (aws-ses-v2-local)"));
        AtomicInteger answered = new AtomicInteger();
        try (ServerSocket impostor = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                while (!impostor.isClosed()) {
                    try (Socket s = impostor.accept(); OutputStream out = s.getOutputStream()) {
                        s.getInputStream().read(new byte[4096]);
                        answered.incrementAndGet();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            Deque<Integer> ports = new ArrayDeque<>();
            ports.add(impostor.getLocalPort());
            try (SesEmulator ses = SesEmulator.start(bin, Path.of("target").toAbsolutePath(),
                    () -> ports.isEmpty() ? LocalAws.freePort() : ports.poll())) {
                assertThat(ses.endpoint().getPort()).isNotEqualTo(impostor.getLocalPort());
                assertThat(ses.emails()).isEmpty();
            }
            server.interrupt();
        }
    }
}
