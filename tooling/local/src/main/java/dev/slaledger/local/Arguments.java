package dev.slaledger.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The checks of option values both commands share, made before any engine starts: picocli converters
 * for months and instants (a bad value is a usage error, exit 2), and output paths that must be writable.
 */
final class Arguments {
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    private Arguments() {
    }

    /** {@code YYYY-MM}, a real month ({@code 2026-13} and {@code 26-10} are refused). */
    static final class MonthConverter implements CommandLine.ITypeConverter<YearMonth> {
        @Override
        public YearMonth convert(String value) {
            if (!MONTH.matcher(value).matches()) {
                throw new CommandLine.TypeConversionException("must be YYYY-MM (e.g. 2026-10), was '" + value + "'");
            }
            try {
                return YearMonth.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("must be a month YYYY-MM with a month 01-12, was '"
                        + value + "'");
            }
        }
    }

    /** An ISO-8601 instant in UTC ({@code 2026-11-10T08:00:00Z}). */
    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("must be an ISO-8601 instant such as "
                        + "2026-11-10T08:00:00Z, was '" + value + "'");
            }
        }
    }

    /**
     * A file the run will write: not a directory, and its directory exists or can be created and
     * takes a new file (probed with a temporary file, deleted at once).
     */
    static void writableFile(Path file, String option) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(option + " " + file + " is a directory; give a file name");
        }
        Path parent = file.toAbsolutePath().getParent();
        writableDirectory(parent, option + " " + file + ":");
    }

    /** A directory the run will write into: it exists or can be created, and takes a new file. */
    static void writableDirectory(Path dir, String what) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".sla-local-", ".probe");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new UsageException(what + " cannot write in " + dir + " (" + reason(e) + ")");
        }
    }

    private static String reason(Exception e) {
        String name = e.getClass().getSimpleName();
        return switch (name) {
            case "NoSuchFileException" -> "no such directory: " + e.getMessage();
            case "AccessDeniedException" -> "permission denied: " + e.getMessage();
            case "FileAlreadyExistsException" -> "a file is in the way: " + e.getMessage();
            case "FileSystemException" -> e.getMessage();
            default -> name + ": " + e.getMessage();
        };
    }
}
