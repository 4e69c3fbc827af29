package dev.slaledger.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the Lambda packages the function modules build under the repository root: one per function,
 * {@code target/<artifactId>-<version>-lambda.jar} for a module with one function (the shade execution
 * {@code lambda} of the root pom), {@code target/<artifactId>-<version>-<function>-lambda.jar} for each
 * function of a module that holds several (monthend, notifier: one shade execution per function, each
 * package holding only the SDK services its function calls).
 *
 * <p>The root is the system property {@code slaledger.root} (set by Maven for the tests and for
 * {@code exec:java}, which is how {@code cdk.json} runs the app); without it, the first directory
 * upwards from the working directory that holds {@code functions/} and {@code infrastructure/}.
 */
public final class FunctionPackages {
    public static final String ROOT_PROPERTY = "slaledger.root";

    private final Path root;

    public FunctionPackages(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public static FunctionPackages locate() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return new FunctionPackages(Path.of(property));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("functions")) && Files.isDirectory(d.resolve("infrastructure"))) {
                return new FunctionPackages(d);
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + dir
                + "; set -D" + ROOT_PROPERTY + "=<path of the clone>");
    }

    /**
     * The one {@code <artifactId>-*-lambda.jar} in {@code functions/<module>/target}.
     *
     * @throws IllegalStateException when there is none (build first) or several (clean first)
     */
    public Path jar(String module, String artifactId) {
        return find(module, artifactId + "-*-lambda.jar");
    }

    /**
     * The one {@code <artifactId>-*-<function>-lambda.jar} in {@code functions/<module>/target}: the
     * package of one function of a module that holds several.
     *
     * @throws IllegalStateException when there is none (build first) or several (clean first)
     */
    public Path jar(String module, String artifactId, String function) {
        return find(module, artifactId + "-*-" + function + "-lambda.jar");
    }

    private Path find(String module, String glob) {
        Path target = root.resolve("functions").resolve(module).resolve("target");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, glob)) {
                jars.forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException((found.isEmpty() ? "no Lambda package " : "several Lambda packages ")
                    + glob + " in " + target + found
                    + ": run `./mvnw -B -ntp verify` (or `clean verify`) at " + root + " first");
        }
        return found.get(0);
    }
}
