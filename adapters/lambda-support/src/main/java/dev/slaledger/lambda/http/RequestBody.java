package dev.slaledger.lambda.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A request body as UTF-8 text, decoded once and guarded the same way on every route: a body
 * flagged base64 that is not base64 (400 {@code malformed-json}), a body over the route's limit
 * before or after decoding (413 {@code body-too-large}), bytes that are not UTF-8 (400
 * {@code malformed-json}). Never an exception, so never a 5xx.
 */
public final class RequestBody {
    /** The decoded body ({@code text} is null when the request has none), or the problem answering why not. */
    public record Result(String text, ApiResponse problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private RequestBody() {
    }

    public static Result text(ApiRequest request, int maxBytes) {
        String raw = request.body();
        if (raw == null) {
            return new Result(null, null);
        }
        byte[] bytes;
        if (request.base64()) {
            if (raw.length() > (maxBytes + 2) / 3 * 4 + 4) {
                return tooLarge(maxBytes);
            }
            try {
                bytes = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                return malformed("the body is flagged base64 but is not");
            }
        } else {
            if (raw.length() > maxBytes) {
                return tooLarge(maxBytes);
            }
            bytes = raw.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > maxBytes) {
            return tooLarge(maxBytes);
        }
        try {
            return new Result(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString(), null);
        } catch (CharacterCodingException e) {
            return malformed("the body is not UTF-8");
        }
    }

    private static Result tooLarge(int maxBytes) {
        return new Result(null, ProblemJson.response(413, "body-too-large", "Body too large",
                "the body is larger than " + maxBytes + " bytes"));
    }

    private static Result malformed(String detail) {
        return new Result(null, ProblemJson.response(400, "malformed-json", "Malformed JSON", detail));
    }
}
