package dev.slaledger.infrastructure;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * What differs between deployments, given as CDK context ({@code -c name=value} or the
 * {@code context} of {@code cdk.json}): nothing else in the app names an account, a region or
 * a resource.
 *
 * @param stage       a short label of the deployment (e.g. {@code prod}); prefixes the stack
 *                    names so several stages can live in one account. Letters, digits, dashes.
 * @param jwtIssuer   the {@code iss} of the tokens customers present to the HTTP API (an
 *                    https URL: the identity provider, e.g. a Cognito user pool's issuer)
 * @param jwtAudience the accepted {@code aud} values (at least one; comma-separated in context)
 * @param sesSender   the From address of notice emails; its address or its domain must be a
 *                    verified SES identity in the deployment's region
 * @param timeZone    the terms' IANA time zone (S1.4), in which the schedules run
 * @param jwtAccountClaim   the JWT claim that holds the caller's account id (claims API
 *                          {@code ACCOUNT_CLAIM}; default {@code sub}, e.g. {@code custom:accountId}
 *                          with a Cognito user pool)
 * @param noticeServiceName the service's name in notice mail ({@code NOTICE_SERVICE_NAME}); empty:
 *                          the notifier's own default
 * @param claimUrlTemplate  where customers claim, linked from the eligibility notices (S8.2,
 *                          {@code NOTICE_CLAIM_URL_TEMPLATE}): an https URL in which {@code {month}}
 *                          and {@code {accountId}} are replaced; empty: the notices name the API route only
 */
public record Parameters(String stage, String jwtIssuer, List<String> jwtAudience, String sesSender,
        ZoneId timeZone, String jwtAccountClaim, Optional<String> noticeServiceName,
        Optional<String> claimUrlTemplate) {

    /** Without a claim link in the eligibility notices. */
    public Parameters(String stage, String jwtIssuer, List<String> jwtAudience, String sesSender, ZoneId timeZone,
            String jwtAccountClaim, Optional<String> noticeServiceName) {
        this(stage, jwtIssuer, jwtAudience, sesSender, timeZone, jwtAccountClaim, noticeServiceName, Optional.empty());
    }

    /** The JWT claim the claims API reads the account id from when none is given. */
    public static final String DEFAULT_ACCOUNT_CLAIM = "sub";

    private static final Pattern STAGE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,19}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");
    private static final Pattern CLAIM = Pattern.compile("[\\x21-\\x7E]{1,128}");

    /** With the default account claim and the notifier's default service name. */
    public Parameters(String stage, String jwtIssuer, List<String> jwtAudience, String sesSender, ZoneId timeZone) {
        this(stage, jwtIssuer, jwtAudience, sesSender, timeZone, DEFAULT_ACCOUNT_CLAIM, Optional.empty());
    }

    public Parameters {
        Objects.requireNonNull(timeZone, "timeZone");
        check("timeZone", timeZone.getId(), isIanaZone(timeZone.getId()),
                "an IANA time zone name (e.g. Europe/Berlin, Asia/Shanghai, UTC): EventBridge Scheduler refuses offsets"
                        + " such as Z, +08:00 or GMT+8");
        check("stage", stage, STAGE.matcher(nonNull(stage)).matches(),
                "1-20 letters, digits or dashes, starting with a letter");
        check("jwtIssuer", jwtIssuer, isHttpsUrl(jwtIssuer), "an https URL (the token issuer)");
        check("jwtAudience", String.valueOf(jwtAudience),
                jwtAudience != null && !jwtAudience.isEmpty() && jwtAudience.stream().noneMatch(String::isBlank),
                "at least one audience");
        check("sesSender", sesSender, EMAIL.matcher(nonNull(sesSender)).matches(), "an email address");
        check("jwtAccountClaim", jwtAccountClaim, CLAIM.matcher(nonNull(jwtAccountClaim)).matches(),
                "a claim name (1-128 visible ASCII characters)");
        Objects.requireNonNull(noticeServiceName, "noticeServiceName");
        check("noticeServiceName", noticeServiceName.orElse(""),
                noticeServiceName.map(n -> !n.isBlank() && n.length() <= 100 && n.chars().noneMatch(Character::isISOControl))
                        .orElse(true),
                "a name of 1-100 characters on one line");
        Objects.requireNonNull(claimUrlTemplate, "claimUrlTemplate");
        check("claimUrlTemplate", claimUrlTemplate.orElse(""),
                claimUrlTemplate.map(u -> u.startsWith("https://") && u.length() <= 500
                        && u.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '<' || c == '>')).orElse(true),
                "an https URL (up to 500 characters, no spaces), e.g. https://console.example.com/sla/claims?month={month}");
        jwtAudience = List.copyOf(jwtAudience);
    }

    /**
     * Reads and validates the parameters from the app's context; {@code timeZone} defaults to UTC
     * (S1.4), {@code jwtAccountClaim} to {@code sub}, {@code noticeServiceName} and
     * {@code claimUrlTemplate} are optional.
     */
    public static Parameters fromContext(Node node) {
        List<String> missing = new ArrayList<>();
        String stage = text(node, "stage", missing);
        String issuer = text(node, "jwtIssuer", missing);
        String audience = text(node, "jwtAudience", missing);
        String sender = text(node, "sesSender", missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing context " + missing
                    + ": pass each with -c name=value (docs/infrastructure.md, Parameters)");
        }
        Object zone = node.tryGetContext("timeZone");
        Object claim = node.tryGetContext("jwtAccountClaim");
        Object serviceName = node.tryGetContext("noticeServiceName");
        Object claimUrl = node.tryGetContext("claimUrlTemplate");
        return new Parameters(stage, issuer, splitList(audience), sender,
                zoneOf(zone == null ? "UTC" : zone.toString()),
                claim == null ? DEFAULT_ACCOUNT_CLAIM : claim.toString().trim(),
                Optional.ofNullable(serviceName).map(Object::toString).map(String::trim),
                Optional.ofNullable(claimUrl).map(Object::toString).map(String::trim));
    }

    /** The SES identity the From address is sent under when only its domain is verified. */
    public String sesSenderDomain() {
        return sesSender.substring(sesSender.indexOf('@') + 1);
    }

    /**
     * The zone of an IANA time zone name (the tz database's names Java knows, {@code UTC} included);
     * {@code ZoneId.of} would also take {@code Z}, {@code +08:00} and {@code GMT+8}, which EventBridge
     * Scheduler refuses at deploy time.
     */
    static ZoneId zoneOf(String text) {
        if (!isIanaZone(text)) {
            throw new IllegalArgumentException("context timeZone: " + text + " is not an IANA time zone name"
                    + " (e.g. Europe/Berlin, Asia/Shanghai, UTC)");
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("context timeZone: " + text + " is not an IANA time zone name", e);
        }
    }

    static boolean isIanaZone(String text) {
        return text != null && ZoneId.getAvailableZoneIds().contains(text);
    }

    private static List<String> splitList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String text(Node node, String key, List<String> missing) {
        Object value = node.tryGetContext(key);
        if (value == null || value.toString().isBlank()) {
            missing.add(key);
            return null;
        }
        return value.toString().trim();
    }

    private static boolean isHttpsUrl(String text) {
        if (text == null) {
            return false;
        }
        try {
            URI uri = URI.create(text);
            return "https".equals(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static void check(String name, String value, boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("context " + name + ": " + value + " is not " + expected);
        }
    }
}
