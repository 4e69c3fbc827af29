package dev.slaledger.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The path tells the layer (docs/architecture.md): every production package is built in the folder
 * of its layer, and {@code functions/} holds only deployable functions. Where a class was built is
 * read from its class file's location ({@code <module folder>/target/...}), so moving a package to
 * another layer's folder, or a library into {@code functions/}, fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayoutRulesTest {
    /** Package prefix -> the folder its module must sit in (first match wins: longest prefixes first). */
    private static final Map<String, String> LAYER_OF_PACKAGE = new java.util.LinkedHashMap<>();

    static {
        LAYER_OF_PACKAGE.put("dev.slaledger.core.", "core/");
        LAYER_OF_PACKAGE.put("dev.slaledger.adapter.", "adapters/");
        LAYER_OF_PACKAGE.put("dev.slaledger.lambda.", "adapters/lambda-support/");
        LAYER_OF_PACKAGE.put("dev.slaledger.priming.", "adapters/lambda-support/");
        for (String f : List.of("ingest", "accounts", "monthend", "claims", "notifier")) {
            LAYER_OF_PACKAGE.put("dev.slaledger." + f + ".", "functions/" + f + "/");
        }
        LAYER_OF_PACKAGE.put("dev.slaledger.emulators.", "tooling/emulators/");
        LAYER_OF_PACKAGE.put("dev.slaledger.testkit.", "tooling/testkit/");
        LAYER_OF_PACKAGE.put("dev.slaledger.local.", "tooling/local/");
    }

    private JavaClasses classes;
    private Path root;

    @BeforeAll
    void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.slaledger");
        root = Path.of(System.getProperty("slaledger.root", "../..")).toAbsolutePath().normalize();
    }

    @Test
    @DisplayName("every production package is built in the folder of its layer (core/, adapters/, functions/, tooling/)")
    void packagesSitInTheFolderOfTheirLayer() {
        List<String> misplaced = new ArrayList<>();
        int checked = 0;
        for (JavaClass c : classes) {
            String location = c.getSource().map(s -> s.getUri().toString()).orElse("")
                    .replaceFirst("^jar:", "").replaceFirst("^file:/*", "/");
            String home = root + "/";
            if (!location.startsWith(home) || location.contains("/target/lib/")) {
                continue; // a jar of a local repository, or a copy in the local runtime's lib/: no folder to check
            }
            String expected = LAYER_OF_PACKAGE.entrySet().stream()
                    .filter(e -> (c.getPackageName() + ".").startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (expected == null) {
                continue;
            }
            checked++;
            if (!location.startsWith(home + expected)) {
                misplaced.add(c.getName() + " built at " + location + ", expected under " + expected);
            }
        }
        assertThat(checked).as("classes of this build found on the class path").isGreaterThan(100);
        assertThat(misplaced).isEmpty();
    }

    @Test
    @DisplayName("functions/ holds only deployable functions: each module there builds a Lambda package")
    void functionsHoldOnlyDeployables() throws IOException {
        Map<String, Boolean> deployable = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(root.resolve("functions"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Path pom = dir.resolve("pom.xml");
                deployable.put(dir.getFileName().toString(),
                        Files.exists(pom) && Files.readString(pom).contains("maven-shade-plugin"));
            }
        }
        assertThat(deployable).isNotEmpty().doesNotContainValue(false);
    }
}
