package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionPackagesTest {

    @Test
    @DisplayName("finds the one <artifactId>-*-lambda.jar of a module, and not the plain jar beside it")
    void findsTheLambdaPackage(@TempDir Path root) throws IOException {
        Path target = moduleTarget(root, "ingest", "sla-ingest-1.0.jar", "sla-ingest-1.0-lambda.jar");
        assertThat(new FunctionPackages(root).jar("ingest", "sla-ingest"))
                .isEqualTo(target.resolve("sla-ingest-1.0-lambda.jar"));
    }

    @Test
    @DisplayName("finds the package of one function of a module with several, and no other function's")
    void findsOneFunctionsPackage(@TempDir Path root) throws IOException {
        Path target = moduleTarget(root, "notifier", "sla-notifier-1.0.jar", "sla-notifier-1.0-notifier-lambda.jar",
                "sla-notifier-1.0-ses-events-lambda.jar", "sla-notifier-1.0-publish-terms-lambda.jar");
        FunctionPackages packages = new FunctionPackages(root);
        assertThat(packages.jar("notifier", "sla-notifier", "notifier"))
                .isEqualTo(target.resolve("sla-notifier-1.0-notifier-lambda.jar"));
        assertThat(packages.jar("notifier", "sla-notifier", "ses-events"))
                .isEqualTo(target.resolve("sla-notifier-1.0-ses-events-lambda.jar"));
        assertThatThrownBy(() -> packages.jar("notifier", "sla-notifier"))
                .hasMessageContaining("several Lambda packages");
    }

    @Test
    @DisplayName("no package, or two of them: a message that says which command to run")
    void missingOrAmbiguous(@TempDir Path root) throws IOException {
        FunctionPackages packages = new FunctionPackages(root);
        assertThatThrownBy(() -> packages.jar("ingest", "sla-ingest"))
                .hasMessageContaining("no Lambda package sla-ingest-*-lambda.jar").hasMessageContaining("./mvnw");
        moduleTarget(root, "ingest", "sla-ingest-1.0-lambda.jar", "sla-ingest-1.1-lambda.jar");
        assertThatThrownBy(() -> packages.jar("ingest", "sla-ingest")).hasMessageContaining("several Lambda packages");
    }

    @Test
    @DisplayName("the build's packages are where the app looks for them (Maven sets slaledger.root)")
    void theRealPackagesExist() {
        FunctionPackages packages = FunctionPackages.locate();
        assertThat(packages.jar("ingest", "sla-ingest")).isRegularFile();
        assertThat(packages.jar("accounts", "sla-accounts")).isRegularFile();
        assertThat(packages.jar("claims", "sla-claims")).isRegularFile();
        for (String function : List.of("month-end", "statement-worker", "maintenance-windows", "outbox-sweep")) {
            assertThat(packages.jar("monthend", "sla-monthend", function)).isRegularFile();
        }
        for (String function : List.of("notifier", "notice-worker", "publish-terms", "ses-events")) {
            assertThat(packages.jar("notifier", "sla-notifier", function)).isRegularFile();
        }
    }

    /** A module's build folder {@code functions/<module>/target} under {@code root}, holding empty {@code files}. */
    private static Path moduleTarget(Path root, String module, String... files) throws IOException {
        Path target = Files.createDirectories(root.resolve("functions").resolve(module).resolve("target"));
        for (String file : files) {
            Files.createFile(target.resolve(file));
        }
        return target;
    }
}
