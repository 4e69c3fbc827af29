package dev.slaledger.infrastructure;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * Issue 31 item 8, optional CDK context {@code sesSandboxRecipients}: while the account is in the
 * SES sandbox, SES sends only to verified identities and authorizes the recipient's identity as
 * well as the sender's, so a sandbox stage lists here (comma-separated) the verified addresses or
 * domains its test notices go to; the notifier may then send to them. Empty (the default, and the
 * only setting for production): out of the sandbox, no recipient identity is authorized
 * (docs/operations.md, "Leaving the SES sandbox").
 */
public record SesParameters(List<String> sandboxRecipients) {
    private static final Pattern IDENTITY = Pattern.compile("([^@\\s,]+@)?([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");

    public SesParameters {
        sandboxRecipients = List.copyOf(sandboxRecipients);
        for (String r : sandboxRecipients) {
            if (!IDENTITY.matcher(r).matches()) {
                throw new IllegalArgumentException("context sesSandboxRecipients: " + r
                        + " is not an email address or a domain");
            }
        }
    }

    public static SesParameters fromContext(Node node) {
        Object recipients = node.tryGetContext("sesSandboxRecipients");
        return new SesParameters(recipients == null ? List.of()
                : Arrays.stream(recipients.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
