package dev.slaledger.notifier.notice;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import dev.slaledger.core.port.MailSender.Mail;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/**
 * One kind of mail's three templates per language, {@code templates/{language}/{prefix}subject},
 * {@code {prefix}body.txt} and {@code {prefix}body.html} ({@code .mustache}): the HTML body is
 * HTML-escaped by mustache, the subject and the text body are plain text, and the subject is one line.
 * The factories are shared by every renderer of the JVM (the templates are class-path resources and
 * mustache.java caches what it compiled), so priming one renderer warms them all.
 */
final class MailTemplates {
    static final String ROOT = "dev/slaledger/notifier/templates";
    private static final MustacheFactory HTML = new DefaultMustacheFactory(ROOT);
    private static final MustacheFactory TEXT = new DefaultMustacheFactory(ROOT) {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private final String prefix;

    /** @param prefix what the kind's template names start with ("" for change notices, "eligibility-") */
    MailTemplates(String prefix) {
        this.prefix = prefix;
    }

    /** Compiles every template of every language now (SnapStart priming, before the snapshot). */
    void compileAll() {
        for (NoticeLanguage language : NoticeLanguage.values()) {
            HTML.compile(name(language, "body.html"));
            TEXT.compile(name(language, "body.txt"));
            TEXT.compile(name(language, "subject"));
        }
    }

    Mail render(String to, NoticeLanguage language, Map<String, Object> scope) {
        String subject = run(TEXT.compile(name(language, "subject")), scope).replaceAll("[\\r\\n]+", " ").trim();
        return new Mail(to, subject, run(TEXT.compile(name(language, "body.txt")), scope),
                run(HTML.compile(name(language, "body.html")), scope));
    }

    private String name(NoticeLanguage language, String part) {
        return language.tag() + "/" + prefix + part + ".mustache";
    }

    private static String run(Mustache template, Map<String, Object> scope) {
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }
}
