package dev.slaledger.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where the launcher looks for a python with moto, and in which order. */
class MotoServerTest {

    @Test
    @DisplayName("candidates: -Dsla.moto.python first, then $SLA_MOTO_PYTHON, python3, pyenv's python3s newest first")
    void candidateOrder() {
        String before = System.getProperty(MotoServer.PYTHON_PROPERTY);
        System.setProperty(MotoServer.PYTHON_PROPERTY, "/opt/custom/python3");
        try {
            List<String> candidates = MotoServer.candidates();
            assertThat(candidates.get(0)).isEqualTo("/opt/custom/python3");
            String env = System.getenv(MotoServer.PYTHON_ENV);
            if (env != null && !env.isBlank() && !env.trim().equals("/opt/custom/python3")) {
                assertThat(candidates.get(1)).isEqualTo(env.trim());
            }
            int python3 = candidates.indexOf("python3");
            assertThat(python3).isPositive();
            List<String> pyenv = candidates.subList(python3 + 1, candidates.size());
            assertThat(pyenv).allSatisfy(p -> assertThat(p).startsWith("/root/.pyenv/versions/").endsWith("/bin/python3"));
            assertThat(pyenv).doesNotHaveDuplicates();
            List<int[]> versions = pyenv.stream().map(p -> p.split("/")[4]).filter(v -> v.matches("[0-9]+(\\.[0-9]+)*")).map(v -> java.util.Arrays.stream(v.split("\\."))
                    .mapToInt(Integer::parseInt).toArray()).toList();
            for (int i = 1; i < versions.size(); i++) {
                assertThat(java.util.Arrays.compare(versions.get(i - 1), versions.get(i))).as("newest first").isPositive();
            }
        } finally {
            if (before == null) {
                System.clearProperty(MotoServer.PYTHON_PROPERTY);
            } else {
                System.setProperty(MotoServer.PYTHON_PROPERTY, before);
            }
        }
    }
}
