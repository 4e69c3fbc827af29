package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.statement.Statement;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The statement table both commands print. */
final class StatementTable {
    private StatementTable() {
    }

    static void print(PrintStream out, List<Statement> statements, Map<String, JsonNode> claims) {
        print(out, statements, claims, Integer.MAX_VALUE);
    }

    /** The first {@code rows} statements, then how many more there are (in the JSON and the report). */
    static void print(PrintStream out, List<Statement> statements, Map<String, JsonNode> claims, int rows) {
        int width = Math.max(14, statements.stream().mapToInt(s -> s.accountId().length()).max().orElse(0));
        String format = "  %-" + width + "s %-7s %4s %10s %5s %14s %14s  %s%n";
        out.printf(format, "account", "month", "days", "avail. %", "tier", "base", "voucher", "claim");
        out.println("  " + "-".repeat(86 + width));
        for (Statement s : statements.subList(0, Math.min(rows, statements.size()))) {
            out.printf(format, s.accountId(), s.month(), s.days(), s.availability().toPlainString(),
                    s.compensationPercent().toPlainString() + "%", s.base().map(Money::toString).orElse("no fee"),
                    s.voucherAmount().map(Money::toString).orElse("-"),
                    Optional.ofNullable(claims.get(s.accountId())).map(StatementTable::claim).orElse(""));
        }
        if (statements.size() > rows) {
            out.printf("  ... and %,d more statements (all of them in the JSON and the report)%n",
                    statements.size() - rows);
        }
    }

    static String claim(JsonNode c) {
        if ("ACCEPTED".equals(c.path("status").asText())) {
            return "ACCEPTED " + c.path("voucherAmount").asText() + " " + c.path("currency").asText();
        }
        if (c.hasNonNull("reason")) {
            String when = c.hasNonNull("opensAt") ? " (opens " + c.get("opensAt").asText() + ")"
                    : c.hasNonNull("closedAt") ? " (closed " + c.get("closedAt").asText() + ")" : "";
            return "REFUSED " + c.get("reason").asText() + when;
        }
        return c.path("title").asText("?");
    }
}
