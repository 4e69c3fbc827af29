package dev.slaledger.local;

import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.SendingQuota;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.emulators.LocalAws;
import dev.slaledger.emulators.SesEmulator;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * How notices leave: the SES v2 emulator when Node.js and {@code npm ci} are there (its quota from its
 * GetAccount), else a file outbox of {@code .eml} files with the quota SES gives a production account.
 */
record LocalMail(LocalRuntime.MailMode mode, NoticeMailer mailer, SendingQuota quota, SesEmulator sesEmulator,
        FileOutbox outbox) implements AutoCloseable {
    static final String FROM = "sla-notices@provider.example";

    static LocalMail start(LocalRuntime.Settings settings, SettableClock clock, PrintStream out) {
        Optional<Path> emulatorBin = settings.useSesEmulator() ? SesEmulator.find(settings.repoRoot())
                : Optional.empty();
        if (emulatorBin.isPresent()) {
            SesEmulator emulator = SesEmulator.start(emulatorBin.get(), settings.workDirectory());
            SesV2Client ses = LocalAws.on(SesV2Client.builder(), emulator.endpoint())
                    .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)))
                    .overrideConfiguration(c -> c.retryStrategy(SesMailSender.retryStrategy())
                            .apiCallAttemptTimeout(Duration.ofSeconds(5)))
                    .build();
            out.println("  SES: the aws-ses-v2-local emulator at " + emulator.endpoint()
                    + " (its mail is also saved as " + settings.workDirectory().resolve("ses-store.json") + ")");
            // the emulator's GetAccount: 14/s, 50,000 a day
            return new LocalMail(LocalRuntime.MailMode.SES_EMULATOR, new SesMailSender(ses, FROM, Optional.empty()),
                    new SesSendingQuota(ses), emulator, null);
        }
        FileOutbox outbox = new FileOutbox(settings.workDirectory().resolve("outbox"), FROM, clock);
        out.println("  SES: " + (settings.useSesEmulator()
                ? "emulator not available (needs node on the PATH and `npm ci` at the repository root); "
                : "")
                + "notices are written as .eml files to " + outbox.directory() + " (a file outbox, nothing is sent)");
        // no SES: the quota SES gives a production account by default
        return new LocalMail(LocalRuntime.MailMode.FILE_OUTBOX, outbox,
                () -> new SendingQuota.Quota(BigDecimal.valueOf(14), 50_000, 0), null, outbox);
    }

    @Override
    public void close() {
        if (sesEmulator != null) {
            sesEmulator.close();
        }
    }
}
