package dev.slaledger.claims;

import dev.slaledger.lambda.http.ApiResponse;
import dev.slaledger.lambda.http.ProblemJson;
import java.util.Map;

/**
 * Every error of the claims API as an RFC 9457 problem ({@code application/problem+json}, built by
 * {@link ProblemJson}, like every route's) with a stable {@code type} URI per case; docs/claims.md
 * lists them. Client mistakes are 4xx, always.
 */
public enum Problem {
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
    INVALID_BODY(400, "invalid-body", "Body is not a claim request"),
    UNKNOWN_FIELD(400, "unknown-field", "Unknown field"),
    INVALID_MONTH(400, "invalid-month", "Invalid month"),
    INVALID_IDEMPOTENCY_KEY(400, "invalid-idempotency-key", "Invalid Idempotency-Key"),
    INVALID_CURSOR(400, "invalid-cursor", "Invalid cursor"),
    INVALID_LIMIT(400, "invalid-limit", "Invalid limit"),
    UNAUTHENTICATED(401, "unauthenticated", "No authenticated caller"),
    ACCOUNT_CLAIM_UNUSABLE(403, "account-claim-unusable", "The token names no usable account"),
    NOT_FOUND(404, "not-found", "No such resource"),
    CLAIM_NOT_FOUND(404, "claim-not-found", "No such claim"),
    NO_SERVICE_PERIOD(404, "no-service-period", "No service period in this month"),
    STATEMENT_NOT_READY(404, "statement-not-ready", "The month has not ended yet"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    EVIDENCE_EXPIRED(410, "evidence-expired", "The month's aggregates are past their retention"),
    IDEMPOTENCY_IN_PROGRESS(409, "idempotency-request-in-progress", "A request with this Idempotency-Key is running"),
    BODY_TOO_LARGE(413, "body-too-large", "Body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency-Key used for another request"),
    RATE_LIMITED(429, "rate-limited", "Too many requests"),
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    ANNOUNCEMENT_PENDING(503, "voucher-announcement-pending", "Voucher issued, announcement pending");

    public static final String TYPE_BASE = ProblemJson.TYPE_BASE;
    public static final String MEDIA_TYPE = ProblemJson.MEDIA_TYPE;

    private final int status;
    private final String slug;
    private final String title;

    Problem(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String type() {
        return TYPE_BASE + slug;
    }

    public ApiResponse response(String detail) {
        return response(detail, Map.of(), Map.of());
    }

    /**
     * @param extensions extra members of the problem object (RFC 9457 section 3.2)
     * @param headers    extra response headers (Allow, Retry-After, WWW-Authenticate)
     */
    public ApiResponse response(String detail, Map<String, String> extensions, Map<String, String> headers) {
        return ProblemJson.response(status, slug, title, detail, extensions, headers);
    }
}
