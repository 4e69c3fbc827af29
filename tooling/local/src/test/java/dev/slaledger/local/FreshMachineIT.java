package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.emulators.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28 item 1: a fresh machine, whose default {@code java} is 17 with a newer JDK installed beside
 * it, no moto and no node_modules, runs the README's commands as written. The scripts are run as a
 * user runs them, in child processes, on an environment that looks like that machine
 * ({@link Shell#java17Machine}). PyPI is not reachable from the machines this runs on, so the pip
 * install of moto is checked with a stand-in for pip ({@code SLA_PIP}) that "installs" moto by pointing
 * the new virtual environment at the site-packages of a python that has it.
 */
class FreshMachineIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path scratch;

    @Test
    @DisplayName("issue 28.1: ./mvnw runs Maven on an installed JDK >= 21 when the default java is 17, saying so in one line")
    void mvnwPicksAJdk21() {
        Shell.Result r = Shell.bash(Shell.ROOT, Shell.java17Machine(scratch), MINUTE, "./mvnw -v");

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(Shell.lines(r.err())).as(r.all()).containsExactly("mvnw: the default java is 17; using the JDK "
                + Runtime.version().feature() + " at " + System.getProperty("java.home"));
        assertThat(r.out()).contains("Java version: " + Runtime.version().feature());
    }

    @Test
    @DisplayName("issue 28.1: without any JDK >= 21, ./mvnw stops with one line naming what to install")
    void mvnwWithoutJdk21() {
        Map<String, String> env = Shell.java17Machine(scratch);
        env.put("SLA_JDK_DIRS", scratch.resolve("nothing").toString());
        Shell.Result r = Shell.bash(Shell.ROOT, env, MINUTE, "./mvnw -v");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(Shell.lines(r.err())).hasSize(1).first().asString().startsWith("No JDK >= 21 found")
                .contains("install one");
        assertThat(r.out()).isEmpty();
    }

    @Test
    @DisplayName("issue 28.1: no python has moto: .ci/tools.sh makes .venv, installs moto with pip (a stand-in), one line")
    void installsMotoIntoAVirtualEnvironment() throws Exception {
        Path root = checkoutWithTools();
        Map<String, String> env = noMotoMachine();

        Shell.Result first = installMoto(root, env, 0);

        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(Shell.lines(first.err())).as(first.all()).hasSize(1).first().asString()
                .matches("Installing moto 5\\.2\\.1 \\(no python here has it\\) into " + Pattern.quote(
                        root.resolve(".venv").toString()) + " with pip\\.\\.\\. done \\([0-9]+ s\\)");
        Shell.Result moto = Shell.run(root, env, MINUTE, List.of(root.resolve(".venv/bin/python3").toString(), "-c",
                "import moto, werkzeug; print(moto.__version__)"));
        assertThat(moto.out().strip()).as(moto.all()).isEqualTo("5.2.1");

        Shell.Result again = Shell.bash(root, env, MINUTE,
                ". .ci/tools.sh && ensure_moto && echo \"$SLA_MOTO_PYTHON\"");
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(again.err()).as("found in .venv: nothing installed, nothing said").isEmpty();
        assertThat(again.out().strip()).isEqualTo(root.resolve(".venv/bin/python3").toString());
    }

    @Test
    @DisplayName("issue 28.1: pip fails (no PyPI): one step line, pip's own last lines, what to do; exit 1")
    void pipFails() throws Exception {
        Shell.Result r = installMoto(checkoutWithTools(), noMotoMachine(), 1);

        assertThat(r.exit()).isEqualTo(1);
        List<String> lines = Shell.lines(r.err());
        assertThat(lines.get(0)).matches("Installing moto 5\\.2\\.1 .* with pip\\.\\.\\. failed \\([0-9]+ s\\)");
        assertThat(lines).contains("  pip: ERROR: Could not find a version that satisfies the requirement "
                + "moto[server]==5.2.1 (from versions: none)");
        assertThat(lines.get(lines.size() - 1)).contains("could not be installed").contains("PIP_INDEX_URL")
                .contains("SLA_MOTO_PYTHON");
    }

    @Test
    @DisplayName("issue 28.1: no npm: the build stops with one line naming Node.js; sla-local goes on with a file outbox")
    void noNpm() throws Exception {
        Path root = checkoutWithTools();
        Files.writeString(root.resolve("package-lock.json"), "{}");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", minimalPath());

        Shell.Result build = Shell.bash(root, env, MINUTE, "bash .ci/tools.sh ses");
        assertThat(build.exit()).isEqualTo(1);
        assertThat(Shell.lines(build.err())).hasSize(1).first().asString().contains("Node.js").contains("npm");

        Shell.Result tool = Shell.bash(root, env, MINUTE, ". .ci/tools.sh && ensure_ses_emulator optional && echo ok");
        assertThat(tool.out().strip()).isEqualTo("ok");
        assertThat(Shell.lines(tool.err())).containsExactly(
                "Node.js/npm not found: notices go to a file outbox instead of the SES emulator.");
    }

    @Test
    @DisplayName("issue 28.1: the README's CDK deploy command, as synth, works on the java-17 machine (no AWS needed)")
    void cdkSynthAsWritten() throws Exception {
        String readme = Files.readString(Shell.ROOT.resolve("README.md"));
        Matcher deploy = Pattern.compile("(?s)```sh\\n   cd infrastructure\\n   (npx aws-cdk@[0-9.]+) deploy --all (.*?)\\n"
                + "   ```").matcher(readme);
        assertThat(deploy.find()).as("the README's deploy command").isTrue();
        String synth = deploy.group(1) + " synth --all " + deploy.group(2).replaceAll("\\\\\\n\\s*", "");
        try (var jars = Files.newDirectoryStream(Shell.ROOT.resolve("functions/ingest/target"), "*-lambda.jar")) {
            assertThat(jars.iterator().hasNext()).as("the function packages are built before this test (-am)").isTrue();
        }
        Map<String, String> env = Shell.java17Machine(scratch);
        env.put("CDK_DISABLE_VERSION_CHECK", "true");

        Shell.Result r = Shell.bash(Shell.ROOT.resolve("infrastructure"), env, Duration.ofMinutes(10),
                "npx --yes " + synth.substring("npx ".length()) + " --output " + scratch.resolve("cdk.out"));

        assertThat(r.exit()).as(synth + "\n" + r.all()).isZero();
        // The CDK CLI prints its progress on stderr, but on stdout when CI=true (as on the CI machine).
        assertThat(r.all()).contains("Successfully synthesized");
        assertThat(scratch.resolve("cdk.out/SlaLedger-prod-App.template.json")).isRegularFile();
        assertThat(scratch.resolve("cdk.out/SlaLedger-prod-Data.template.json")).isRegularFile();
    }

    /** A folder with the checkout's .ci scripts, as a fresh clone has them. */
    private Path checkoutWithTools() throws IOException {
        Path root = Files.createDirectories(scratch.resolve("checkout/.ci"));
        Files.copy(Shell.ROOT.resolve(".ci/tools.sh"), root.resolve("tools.sh"));
        Files.copy(Shell.ROOT.resolve(".ci/jdk.sh"), root.resolve("jdk.sh"));
        return root.getParent();
    }

    /**
     * A machine whose pythons lack moto: {@code python3} is a python with moto run with {@code -S}
     * (no site-packages, so {@code import moto} fails), no pyenv, no SLA_MOTO_PYTHON.
     */
    private Map<String, String> noMotoMachine() throws Exception {
        String real = pythonSays(MotoServer.findPython(), "import sys; print(sys.executable)");
        Path bin = Files.createDirectories(scratch.resolve("python-bin"));
        executable(bin.resolve("python3"), "#!/bin/sh\nexec " + real + " -S \"$@\"\n");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":" + minimalPath());
        env.put("PYENV_ROOT", scratch.resolve("no-pyenv").toString());
        env.put("SLA_MOTO_PYTHON", null);
        return env;
    }

    /** {@code .ci/tools.sh moto} in {@code root} on {@code env}, with a stand-in for pip that exits {@code pipExit}. */
    private Shell.Result installMoto(Path root, Map<String, String> env, int pipExit) throws Exception {
        env.put("SLA_PIP", standInPip(MotoServer.findPython(), pipExit));
        return Shell.bash(root, env, Duration.ofMinutes(3), "bash .ci/tools.sh moto");
    }

    /** A stand-in for pip: exit 0 writes a .pth pointing the venv at moto's site-packages; else pip's error. */
    private String standInPip(String motoPython, int exit) throws Exception {
        String site = pythonSays(motoPython, "import sysconfig; print(sysconfig.get_paths()['purelib'])");
        Path pip = scratch.resolve("pip-standin");
        executable(pip, exit == 0
                ? "#!/bin/sh\nfor d in \"$VIRTUAL_ENV\"/lib/python*/site-packages; do echo '" + site
                        + "' > \"$d/moto-standin.pth\"; done\n"
                : "#!/bin/sh\necho 'ERROR: Could not find a version that satisfies the requirement "
                        + "moto[server]==5.2.1 (from versions: none)' >&2\nexit 1\n");
        return pip.toString();
    }

    /** The few commands the scripts use (sed, mktemp, ...), linked from /usr/bin and /bin: no npm, no python. */
    private String minimalPath() throws IOException {
        Path tools = scratch.resolve("tools");
        if (Files.isDirectory(tools)) {
            return tools.toString();
        }
        Files.createDirectories(tools);
        for (String t : List.of("bash", "sh", "sed", "tail", "mktemp", "rm", "ls", "sort", "dirname", "cat", "env")) {
            for (String dir : List.of("/usr/bin/", "/bin/")) {
                Path p = Path.of(dir + t);
                if (Files.isExecutable(p) && !Files.exists(tools.resolve(t))) {
                    executable(tools.resolve(t), "#!/bin/sh\nexec " + p + " \"$@\"\n");
                }
            }
        }
        return tools.toString();
    }

    private static String pythonSays(String python, String code) {
        Shell.Result r = Shell.run(Path.of("."), Map.of(), MINUTE, List.of(python, "-c", code));
        assertThat(r.exit()).as(r.all()).isZero();
        return r.out().strip();
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
