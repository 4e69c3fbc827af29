package dev.slaledger.local;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay's JSON input files (D2 accounts, D4 windows, D5 terms), read with the line each entry
 * starts on, so an input error names the file and the line (issue 28 item 5): not JSON
 * ({@code file:line:column: expected ..., found ...}), or an entry the D2/D4/D5 rules refuse
 * ({@code file line 12 (entry 2, acme): fees.2026-10.currency: ...}). Gzip files are read gunzipped.
 */
final class JsonInput {
    /** One entry of the file (an element of the top array, or the whole document) and the line it starts on. */
    record Entry(JsonNode node, int line, int index) {
        /** {@code accounts.json line 12 (entry 2)}: how an error names the entry. */
        String where(Path file) {
            return file + " line " + line + " (entry " + (index + 1) + ")";
        }
    }

    /** The document: whether its top is an array, and its entries (the document itself when it is not). */
    record Document(Path file, boolean array, List<Entry> entries) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private JsonInput() {
    }

    /**
     * Reads {@code file} ({@code what} names it in messages: "accounts"); the top must be an array when
     * {@code arrayOnly}. Whatever is not JSON stops with one line: the file, line and column, what the
     * reader expected and what it found.
     */
    static Document read(Path file, String what, boolean arrayOnly) {
        byte[] bytes = InputFiles.readAll(file);
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InputException(file + ": the " + what + " file is empty (expected "
                        + (arrayOnly ? "a JSON array" : "a JSON object or array") + ")");
            }
            List<Entry> entries = new ArrayList<>();
            if (first == JsonToken.START_ARRAY) {
                for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                    int line = p.currentTokenLocation().getLineNr();
                    entries.add(new Entry(JSON.readTree(p), line, i));
                }
            } else if (arrayOnly) {
                throw new InputException(file + " line " + p.currentTokenLocation().getLineNr() + ": the " + what
                        + " file must be a JSON array ([...]), found " + describe(first));
            } else {
                entries.add(new Entry(JSON.readTree(p), p.currentTokenLocation().getLineNr(), 0));
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new InputException(file + " line " + p.currentTokenLocation().getLineNr() + ": expected the end "
                        + "of the " + what + " file after its " + (first == JsonToken.START_ARRAY ? "array" : "object")
                        + ", found " + describe(trailing));
            }
            return new Document(file, first == JsonToken.START_ARRAY, entries);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InputException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": the " + what + " file is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputFiles.cannotRead(file, e);
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }
}
