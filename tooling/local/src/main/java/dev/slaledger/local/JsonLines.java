package dev.slaledger.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of a JSON-lines file (D1 traffic, D6 timeline) as bytes, numbered from 1, a trailing CR removed;
 * a gzip file is read gunzipped ({@link InputFiles}).
 */
final class JsonLines {
    /** One line of the file; {@code number} counts from 1, blank lines included. */
    record Line(int number, byte[] bytes) {
        boolean blank() {
            return new String(bytes, StandardCharsets.UTF_8).isBlank();
        }
    }

    private JsonLines() {
    }

    static List<Line> read(Path file) {
        byte[] all = InputFiles.readAll(file); // gunzipped when the file is gzip
        List<Line> lines = new ArrayList<>();
        int number = 0;
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i == all.length && start == all.length) {
                    break;
                }
                number++;
                int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
                lines.add(new Line(number, Arrays.copyOfRange(all, start, end)));
                start = i + 1;
            }
        }
        return lines;
    }
}
