package dev.slaledger.claims;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimJson;
import dev.slaledger.core.evidence.IntervalEvidence;
import dev.slaledger.core.port.IdempotencyStore;
import dev.slaledger.core.port.RateLimiter;
import dev.slaledger.core.statement.StatementJson;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.traffic.Intervals;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.StatementEvidence;
import dev.slaledger.lambda.http.ApiRequest;
import dev.slaledger.lambda.http.ApiResponse;
import dev.slaledger.lambda.http.RequestBody;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The claims API, one request at a time: routing, the caller's account from the JWT claims,
 * input checks, the Idempotency-Key, then one {@link ClaimService} call and its JSON answer.
 * Every client mistake is a 4xx problem (docs/claims.md); only a fault of the service itself
 * (a store or EventBridge failing) is a 5xx.
 *
 * <pre>
 * POST /claims              {"month":"YYYY-MM"} -> 201 new claim (accepted or refused), 200 the standing accepted claim
 * GET  /claims/{claimId}    -> 200 the claim, 404 when it is not the caller's
 * GET  /statements/{month}  -> 200 the latest statement revision (D3), recomputed first when stale or missing
 * GET  /statements/{month}/intervals?cursor=&amp;limit=  -> 200 a page of the intervals behind it (S9.6)
 * GET  /statements/{month}/revisions  -> 200 its revisions with their causes and changes (S9.7)
 * GET  /vouchers            -> 200 {"vouchers":[...]} the caller's accepted claims with a voucher above zero
 * </pre>
 *
 * <p>The two reads of S9.6 and S9.7 write nothing: a stale statement is not recomputed (the evidence
 * says so), a missing one not computed.
 *
 * <p>Every request of a known caller first takes one of its account's requests of the minute
 * ({@link RateLimiter}); past the limit it is a 429 with {@code Retry-After}, and nothing else is done.
 */
public final class ClaimsApi {
    public static final int MAX_BODY_BYTES = 16 * 1024;
    public static final Duration IDEMPOTENCY_LEASE = Duration.ofSeconds(30);
    public static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    /** Account ids as billing writes them (no '#', blank or control character), and no lone surrogate. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("[^#\\s\\p{Cntrl}\\p{Cs}]{1,128}");
    private static final Pattern CLAIM_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final int MIN_YEAR = 2000;

    private final ObjectMapper json = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ClaimService claims;
    private final StatementEvidence evidence;
    private final IdempotencyStore idempotency;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final String accountClaim;

    /**
     * @param rateLimiter the caller's allowance of requests per minute, taken by every request
     *                    of a known caller before any other work (issue 15)
     */
    public ClaimsApi(ClaimService claims, StatementEvidence evidence, IdempotencyStore idempotency,
            RateLimiter rateLimiter, Clock clock, String accountClaim) {
        this.claims = Objects.requireNonNull(claims);
        this.evidence = Objects.requireNonNull(evidence);
        this.idempotency = Objects.requireNonNull(idempotency);
        this.rateLimiter = Objects.requireNonNull(rateLimiter);
        this.clock = Objects.requireNonNull(clock);
        this.accountClaim = Objects.requireNonNull(accountClaim);
    }

    private enum Route { CLAIMS, CLAIM, STATEMENT, STATEMENT_INTERVALS, STATEMENT_REVISIONS, VOUCHERS }

    public ApiResponse handle(ApiRequest request) {
        String path = request.path();
        String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
        Route route = route(segments);
        if (route == null) {
            return Problem.NOT_FOUND.response("no resource at this path; see docs/claims.md for the routes");
        }
        String allowed = route == Route.CLAIMS ? "POST" : "GET";
        if (!allowed.equals(request.method())) {
            return Problem.METHOD_NOT_ALLOWED.response(request.method() + " is not allowed here; use " + allowed,
                    Map.of(), Map.of("Allow", allowed));
        }
        Caller caller = caller(request.jwtClaims());
        if (caller.problem != null) {
            return caller.problem;
        }
        String account = caller.accountId;
        Instant now = clock.instant();
        if (!rateLimiter.tryAcquire(account, now)) {
            String retryAfter = Long.toString(retryAfterSeconds(now));
            return Problem.RATE_LIMITED.response("your account made more requests in this minute than it may ("
                    + "see docs/claims.md); retry in " + retryAfter + " s", Map.of(), Map.of("Retry-After", retryAfter));
        }
        return switch (route) {
            case CLAIMS -> submit(request, account);
            case CLAIM -> getClaim(account, segments[1]);
            case STATEMENT -> getStatement(account, segments[1]);
            case STATEMENT_INTERVALS -> getIntervals(account, segments[1], request.query());
            case STATEMENT_REVISIONS -> getRevisions(account, segments[1]);
            case VOUCHERS -> vouchers(account);
        };
    }

    /** Whole seconds, rounded up, until the next window of the rate limiter: 1 to 60. */
    static long retryAfterSeconds(Instant now) {
        long millis = Duration.between(now, RateLimiter.nextWindow(now)).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private static Route route(String[] s) {
        if (s.length == 1 && s[0].equals("claims")) {
            return Route.CLAIMS;
        }
        if (s.length == 1 && s[0].equals("vouchers")) {
            return Route.VOUCHERS;
        }
        if (s.length == 2 && s[0].equals("claims") && !s[1].isEmpty()) {
            return Route.CLAIM;
        }
        if (s.length == 2 && s[0].equals("statements") && !s[1].isEmpty()) {
            return Route.STATEMENT;
        }
        if (s.length == 3 && s[0].equals("statements") && !s[1].isEmpty() && s[2].equals("intervals")) {
            return Route.STATEMENT_INTERVALS;
        }
        if (s.length == 3 && s[0].equals("statements") && !s[1].isEmpty() && s[2].equals("revisions")) {
            return Route.STATEMENT_REVISIONS;
        }
        return null;
    }

    private record Caller(String accountId, ApiResponse problem) {
    }

    private Caller caller(Map<String, String> jwtClaims) {
        if (jwtClaims == null || jwtClaims.isEmpty()) {
            return new Caller(null, Problem.UNAUTHENTICATED.response(
                    "the request carries no JWT claims: call the API with a bearer token",
                    Map.of(), Map.of("WWW-Authenticate", "Bearer")));
        }
        String value = jwtClaims.get(accountClaim);
        if (value == null || !ACCOUNT_ID.matcher(value).matches()) {
            return new Caller(null, Problem.ACCOUNT_CLAIM_UNUSABLE.response(
                    "the token's claim '" + accountClaim + "' is " + (value == null ? "missing" : "not an account id"),
                    Map.of("claim", accountClaim), Map.of()));
        }
        return new Caller(value, null);
    }

    // ---------------------------------------------------------------- POST /claims

    private ApiResponse submit(ApiRequest request, String account) {
        String contentType = request.header("content-type");
        if (contentType != null && !isJson(contentType)) {
            return Problem.UNSUPPORTED_MEDIA_TYPE.response("send the claim as application/json",
                    Map.of(), Map.of("Accept-Post", "application/json"));
        }
        String keyHeader = request.header("idempotency-key");
        if (keyHeader != null && !IDEMPOTENCY_KEY.matcher(keyHeader).matches()) {
            return Problem.INVALID_IDEMPOTENCY_KEY.response("an Idempotency-Key is 1 to 255 visible ASCII characters");
        }
        Parsed parsed = parseClaimRequest(request);
        if (parsed.problem != null) {
            return parsed.problem;
        }
        YearMonth month = parsed.month;
        if (keyHeader == null) {
            return runSubmit(account, month);
        }
        String fingerprint = fingerprint("POST /claims " + month);
        Instant now = clock.instant();
        IdempotencyStore.Begin begin = idempotency.begin(account, keyHeader, fingerprint, now,
                now.plus(IDEMPOTENCY_LEASE), now.plus(IDEMPOTENCY_TTL));
        return switch (begin) {
            case IdempotencyStore.Completed done -> replay(done.response());
            case IdempotencyStore.Mismatch m -> Problem.IDEMPOTENCY_KEY_REUSED.response(
                    "this Idempotency-Key was used for a different request; use a new key");
            case IdempotencyStore.InProgress p -> Problem.IDEMPOTENCY_IN_PROGRESS.response(
                    "the first request with this Idempotency-Key is still running; retry shortly",
                    Map.of(), Map.of("Retry-After", "1"));
            case IdempotencyStore.Acquired a -> {
                ApiResponse response;
                try {
                    response = runSubmit(account, month);
                } catch (RuntimeException e) {
                    idempotency.release(account, keyHeader, fingerprint);
                    throw e;
                }
                if (response.status() < 500) {
                    idempotency.complete(account, keyHeader, fingerprint,
                            new IdempotencyStore.StoredResponse(response.status(), response.body()),
                            clock.instant().plus(IDEMPOTENCY_TTL));
                } else {
                    idempotency.release(account, keyHeader, fingerprint);
                }
                yield response;
            }
        };
    }

    private ApiResponse runSubmit(String account, YearMonth month) {
        ClaimService.Submission submission;
        try {
            submission = claims.submit(account, month);
        } catch (ClaimService.AnnouncementPending pending) {
            return Problem.ANNOUNCEMENT_PENDING.response("claim " + pending.claim().claimId()
                    + " is accepted but billing has not been told yet; repeat the request to finish",
                    Map.of("claimId", pending.claim().claimId()), Map.of("Retry-After", "1"));
        }
        Claim claim = submission.claim();
        return new ApiResponse(submission.created() ? 201 : 200,
                Map.of("Content-Type", "application/json", "Location", "/claims/" + claim.claimId()),
                ClaimJson.toJson(claim));
    }

    private static ApiResponse replay(IdempotencyStore.StoredResponse stored) {
        String location = null;
        Map<String, String> headers;
        try {
            JsonNode id = new ObjectMapper().readTree(stored.body()).get("claimId");
            location = id == null ? null : "/claims/" + id.asText();
        } catch (JsonProcessingException e) {
            // a stored problem: no Location
        }
        String type = stored.status() >= 400 ? Problem.MEDIA_TYPE : "application/json";
        headers = location == null
                ? Map.of("Content-Type", type, "Idempotent-Replayed", "true")
                : Map.of("Content-Type", type, "Idempotent-Replayed", "true", "Location", location);
        return new ApiResponse(stored.status(), headers, stored.body());
    }

    private static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private record Parsed(YearMonth month, ApiResponse problem) {
        static Parsed problem(ApiResponse p) {
            return new Parsed(null, p);
        }
    }

    private Parsed parseClaimRequest(ApiRequest request) {
        String raw = request.body();
        if (raw == null || raw.isEmpty()) {
            return Parsed.problem(Problem.MALFORMED_JSON.response("the body is empty; send {\"month\":\"YYYY-MM\"}"));
        }
        RequestBody.Result body = RequestBody.text(request, MAX_BODY_BYTES);
        if (!body.ok()) {
            return Parsed.problem(body.problem());
        }
        String text = body.text();
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            return Parsed.problem(Problem.MALFORMED_JSON.response("the body is not valid JSON: "
                    + Optional.ofNullable(e.getOriginalMessage()).map(m -> m.length() > 200 ? m.substring(0, 200) : m)
                            .orElse("unreadable")));
        }
        if (root == null || root.isMissingNode()) {
            return Parsed.problem(Problem.MALFORMED_JSON.response("the body is empty; send {\"month\":\"YYYY-MM\"}"));
        }
        if (!root.isObject()) {
            return Parsed.problem(Problem.INVALID_BODY.response("the body must be a JSON object {\"month\":\"YYYY-MM\"}"));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("month")) {
                String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
                return Parsed.problem(Problem.UNKNOWN_FIELD.response("field '" + shown
                        + "' is not part of a claim; only 'month' is", Map.of("field", shown), Map.of()));
            }
        }
        JsonNode month = root.get("month");
        if (month == null || month.isNull()) {
            return Parsed.problem(badMonth("month is required"));
        }
        if (!month.isTextual()) {
            return Parsed.problem(badMonth("month must be a string \"YYYY-MM\""));
        }
        Optional<YearMonth> parsed = month(month.asText());
        return parsed.map(m -> new Parsed(m, null)).orElseGet(() -> Parsed.problem(badMonth(
                "month must be \"YYYY-MM\" with a month 01-12 and a year from " + MIN_YEAR)));
    }

    private static ApiResponse badMonth(String detail) {
        return Problem.INVALID_MONTH.response(detail, Map.of("field", "month"), Map.of());
    }

    static Optional<YearMonth> month(String text) {
        if (!MONTH.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            YearMonth m = YearMonth.parse(text);
            return m.getYear() < MIN_YEAR ? Optional.empty() : Optional.of(m);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String fingerprint(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- reads

    private ApiResponse getClaim(String account, String claimId) {
        if (!CLAIM_ID.matcher(claimId).matches()) {
            return Problem.CLAIM_NOT_FOUND.response("you have no claim with this id");
        }
        return claims.find(account, claimId)
                .map(c -> ApiResponse.json(200, ClaimJson.toJson(c)))
                .orElseGet(() -> Problem.CLAIM_NOT_FOUND.response("you have no claim with this id"));
    }

    private ApiResponse getStatement(String account, String monthText) {
        Optional<YearMonth> month = month(monthText);
        if (month.isEmpty()) {
            return badMonth("the month in the path must be YYYY-MM with a month 01-12 and a year from " + MIN_YEAR);
        }
        return switch (claims.statement(account, month.get())) {
            case ClaimService.Found f -> ApiResponse.json(200, StatementJson.toJson(f.statement()));
            case ClaimService.NoServicePeriod n -> Problem.NO_SERVICE_PERIOD.response(
                    "your account has no service period in " + month.get());
            case ClaimService.NotYetComputed n -> Problem.STATEMENT_NOT_READY.response(
                    "the statement of " + month.get() + " is computed after the month ends");
        };
    }

    // ---------------------------------------------------------------- S9.6, S9.7

    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");

    /** GET /statements/{month}/intervals: a page of the intervals behind the statement (S9.6). */
    private ApiResponse getIntervals(String account, String monthText, Map<String, String> query) {
        Optional<YearMonth> month = month(monthText);
        if (month.isEmpty()) {
            return badMonth("the month in the path must be YYYY-MM with a month 01-12 and a year from " + MIN_YEAR);
        }
        int limit = StatementEvidence.DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            if (!LIMIT.matcher(limitText).matches() || Integer.parseInt(limitText) < 1
                    || Integer.parseInt(limitText) > StatementEvidence.MAX_LIMIT) {
                return Problem.INVALID_LIMIT.response("limit must be a whole number from 1 to "
                        + StatementEvidence.MAX_LIMIT, Map.of("field", "limit"), Map.of());
            }
            limit = Integer.parseInt(limitText);
        }
        Optional<Instant> cursor = Optional.empty();
        String cursorText = query.get("cursor");
        if (cursorText != null) {
            try {
                cursor = Optional.of(Instant.parse(cursorText));
            } catch (DateTimeException e) {
                return badCursor();
            }
            if (!Intervals.isIntervalStart(cursor.get())) {
                return badCursor();
            }
        }
        StatementEvidence.Lookup found;
        try {
            found = evidence.intervals(account, month.get(), cursor, limit);
        } catch (StatementEvidence.InvalidCursor e) {
            return badCursor();
        }
        return switch (found) {
            case StatementEvidence.IntervalsPage page -> ApiResponse.json(200, intervalsJson(month.get(), page, limit));
            case StatementEvidence.Expired gone -> Problem.EVIDENCE_EXPIRED.response("the aggregates of "
                    + month.get() + " were kept until " + gone.expiredAt() + " (S7.4); the statement stays",
                    Map.of("expiredAt", gone.expiredAt().toString()), Map.of());
            default -> missing(month.get(), found);
        };
    }

    private static ApiResponse badCursor() {
        return Problem.INVALID_CURSOR.response("cursor must be the 'cursor' of a previous page: an interval start "
                + "of the service period, ISO-8601", Map.of("field", "cursor"), Map.of());
    }

    private ApiResponse missing(YearMonth month, StatementEvidence.Lookup found) {
        return found instanceof StatementEvidence.NotYetComputed
                ? Problem.STATEMENT_NOT_READY.response("the statement of " + month
                        + " is computed after the month ends")
                : Problem.NO_SERVICE_PERIOD.response("your account has no service period in " + month);
    }

    private String intervalsJson(YearMonth month, StatementEvidence.IntervalsPage page, int limit) {
        ObjectNode body = json.createObjectNode();
        Statement s = page.statement();
        body.put("accountId", s.accountId());
        body.put("month", month.toString());
        ObjectNode statement = body.putObject("statement");
        statement.put("revision", s.revision());
        statement.put("errorRateSum", s.errorRateSum().toPlainString());
        statement.put("availability", s.availability().toPlainString());
        statement.put("intervals", s.intervals());
        statement.put("upToDate", page.upToDate());
        body.put("zone", page.zone().getId());
        ArrayNode counted = body.putArray("intervals");
        for (IntervalEvidence iv : page.counted()) {
            ObjectNode n = counted.addObject();
            n.put("start", iv.start().toString());
            n.put("valid", iv.valid());
            n.put("errors", iv.errors());
            n.put("rate", iv.rateFraction());
            n.put("rateDecimal", iv.rateDecimal().toPlainString());
            n.put("flaggedErrors", iv.flaggedErrors());
            flagged(n, iv);
        }
        ArrayNode excluded = body.putArray("excluded");
        for (IntervalEvidence iv : page.excluded()) {
            ObjectNode n = excluded.addObject();
            n.put("start", iv.start().toString());
            n.put("valid", iv.valid());
            n.put("errors", iv.errors());
            n.put("flaggedErrors", iv.flaggedErrors());
            flagged(n, iv);
            n.put("reason", iv.exclusion());
            if (iv.windowId().isPresent()) {
                n.put("windowId", iv.windowId().get());
            } else {
                n.putNull("windowId");
            }
        }
        if (page.next().isPresent()) {
            body.put("cursor", page.next().get().toString());
            body.put("next", "/statements/" + month + "/intervals?cursor=" + page.next().get() + "&limit=" + limit);
        } else {
            body.putNull("cursor");
            body.putNull("next");
        }
        return body.toString();
    }

    /** The interval's flagged errors by kind (S2.4 (i)-(iii), S9.6), every kind present, and those of no known kind. */
    private static void flagged(ObjectNode n, IntervalEvidence iv) {
        ObjectNode byKind = n.putObject("flagged");
        iv.flagged().byName().forEach(byKind::put);
    }

    /** GET /statements/{month}/revisions: every revision with its causes and what it changed (S9.7). */
    private ApiResponse getRevisions(String account, String monthText) {
        Optional<YearMonth> month = month(monthText);
        if (month.isEmpty()) {
            return badMonth("the month in the path must be YYYY-MM with a month 01-12 and a year from " + MIN_YEAR);
        }
        StatementEvidence.Lookup found = evidence.revisions(account, month.get());
        if (!(found instanceof StatementEvidence.Revisions revisions)) {
            return missing(month.get(), found);
        }
        ObjectNode body = json.createObjectNode();
        body.put("accountId", account);
        body.put("month", month.get().toString());
        ArrayNode list = body.putArray("revisions");
        for (StatementEvidence.Revision r : revisions.revisions()) {
            Statement s = r.statement();
            ObjectNode n = list.addObject();
            n.put("revision", s.revision());
            n.put("computedAt", s.computedAt().toString());
            n.set("causes", tree(StatementJson.causesJson(s.causes())));
            n.put("availability", s.availability().toPlainString());
            n.put("compensationPercent", s.compensationPercent().toPlainString());
            n.put("base", s.base().map(m -> m.toDecimalString()).orElse(null));
            n.put("voucherAmount", s.voucherAmount().map(m -> m.toDecimalString()).orElse(null));
            n.put("currency", s.currency().map(java.util.Currency::getCurrencyCode).orElse(null));
            n.put("errorRateSum", s.errorRateSum().toPlainString());
            ArrayNode changes = n.putArray("changes");
            for (StatementEvidence.Change c : r.changes()) {
                changes.addObject().put("field", c.field()).put("from", c.from()).put("to", c.to());
            }
        }
        return ApiResponse.json(200, body.toString());
    }

    private ApiResponse vouchers(String account) {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("vouchers");
        for (Claim c : claims.vouchers(account)) {
            ObjectNode v = list.addObject();
            v.put("claimId", c.claimId());
            v.put("month", c.month().toString());
            v.put("voucherAmount", c.decision().voucher().orElseThrow().toDecimalString());
            v.put("currency", c.decision().voucher().orElseThrow().currency().getCurrencyCode());
            c.decision().statementRevision().ifPresent(r -> v.put("statementRevision", r));
            v.put("issuedAt", c.requestedAt().toString());
        }
        return ApiResponse.json(200, body.toString());
    }

    /** A document this function wrote itself, as a tree to answer inside another. */
    private JsonNode tree(String ownJson) {
        try {
            return json.readTree(ownJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("our own JSON did not parse", e);
        }
    }
}
