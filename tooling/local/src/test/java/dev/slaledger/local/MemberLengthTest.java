package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 29 item 7: no constructor over 40 lines and no method over 60 in the local runtime's main
 * code (counted from the declaration's first line to its closing brace, as written: the members of a
 * class are declared at their class's indentation and close with a brace at the same indentation).
 * The same count as {@code python3 tooling/local/member-lengths.py tooling/local/src/main/java}.
 */
class MemberLengthTest {
    static final int CONSTRUCTOR_LINES = 40;
    static final int METHOD_LINES = 60;
    private static final Pattern DECLARATION = Pattern.compile("^(\\s+)(?:(?:public|private|protected|static|final"
            + "|synchronized|abstract|default)\\s+)*(?:<[^>]+>\\s+)?(?:([\\w.<>\\[\\],? ]+?)\\s+)?(\\w+)\\s*\\(");
    private static final Set<String> STATEMENTS = Set.of("return", "new", "if", "for", "while", "switch", "catch",
            "else", "throw", "try", "synchronized", "do", "case", "assert");

    record Member(String file, int line, String name, boolean constructor, int lines) {
        boolean tooLong() {
            return lines > (constructor ? CONSTRUCTOR_LINES : METHOD_LINES);
        }
    }

    static List<Member> members(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher m = DECLARATION.matcher(l);
            if (!m.find() || l.split("//")[0].contains(";") || l.strip().startsWith("@")
                    || l.split("\\(")[0].contains("=")) {
                continue;
            }
            String indent = m.group(1);
            String type = m.group(2);
            String name = m.group(3);
            String first = l.strip().split("\\s+")[0];
            if (STATEMENTS.contains(first) || STATEMENTS.contains(name)
                    || (type != null && STATEMENTS.contains(type.strip().replaceAll(".*\\s", "")))
                    || (type == null && !Character.isUpperCase(name.charAt(0)))) {
                continue; // a statement, or a call (a constructor bears its class's name)
            }
            int open = i;
            while (open < lines.size() && !lines.get(open).contains("{") && !lines.get(open).strip().endsWith(";")) {
                open++;
            }
            if (open == lines.size() || !lines.get(open).contains("{")) {
                continue;
            }
            int close = open;
            if (!lines.get(open).strip().endsWith("}")) {
                close = open + 1;
                while (close < lines.size() && !lines.get(close).stripTrailing().equals(indent + "}")) {
                    close++;
                }
            }
            out.add(new Member(file.getFileName().toString(), i + 1, name, type == null, close - i + 1));
        }
        return out;
    }

    @Test
    @DisplayName("issue 29 item 7: no constructor over 40 lines, no method over 60, in tooling/local")
    void membersAreShort() throws IOException {
        List<Member> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                all.addAll(members(f));
            }
        }
        assertThat(all).as("members found").hasSizeGreaterThan(200);
        assertThat(all).filteredOn(Member::constructor).as("constructors found").isNotEmpty();
        assertThat(all).filteredOn(Member::tooLong).isEmpty();
    }

    @Test
    @DisplayName("issue 29 item 7: the count finds a long constructor and a long method, and skips calls")
    void countsWhatItShould(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        StringBuilder src = new StringBuilder("class Long {\n    Long(int a,\n            int b) {\n");
        src.append("        int x = 1;\n".repeat(40)).append("    }\n\n    private static int m() {\n");
        src.append("        run(() -> {\n        });\n".repeat(30)).append("        return 0;\n    }\n}\n");
        List<Member> members = members(Files.writeString(dir.resolve("Long.java"), src));
        assertThat(members).extracting(Member::name, Member::constructor, Member::lines)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Long", true, 43),
                        org.assertj.core.groups.Tuple.tuple("m", false, 63));
    }
}
