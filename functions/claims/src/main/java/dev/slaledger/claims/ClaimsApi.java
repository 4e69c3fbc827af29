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
import dev.slaledger.core.port.IdempotencyStore;
import dev.slaledger.core.port.RateLimiter;
import dev.slaledger.core.statement.StatementJson;
import dev.slaledger.core.usecase.ClaimService;
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
 * GET  /vouchers            -> 200 {"vouchers":[...]} the caller's accepted claims with a voucher above zero
 * </pre>
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
    private final IdempotencyStore idempotency;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final String accountClaim;

    /**
     * @param rateLimiter the caller's allowance of requests per minute, taken by every request
     *                    of a known caller before any other work (issue 15)
     */
    public ClaimsApi(ClaimService claims, IdempotencyStore idempotency, RateLimiter rateLimiter, Clock clock,
            String accountClaim) {
        this.claims = Objects.requireNonNull(claims);
        this.idempotency = Objects.requireNonNull(idempotency);
        this.rateLimiter = Objects.requireNonNull(rateLimiter);
        this.clock = Objects.requireNonNull(clock);
        this.accountClaim = Objects.requireNonNull(accountClaim);
    }

    private enum Route { CLAIMS, CLAIM, STATEMENT, VOUCHERS }

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
}
