package dev.slaledger.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the input covered, after every replay (issue 28 item 2, S9.5: never a silent wrong answer):
 * the records read, in the month and outside it, quarantined by reason, the accounts with traffic,
 * those with a service period but no traffic, the records of accounts not in the accounts file; and
 * a one-line warning for each way the input cannot support the month. {@code --strict} makes any
 * warning exit 3.
 *
 * @param read             what reading the traffic file found
 * @param quarantined      the quarantined records (by reason)
 * @param recordsIngested  records handed to the ingest handler (the timeline's late Traffic events included)
 * @param withoutTraffic   accounts with a statement for the month computed from no traffic (S3.1: 100 %)
 */
record Coverage(Path trafficFile, Path accountsFile, YearMonth month, ZoneId zone, TrafficFile.Stats read,
        List<LocalRuntime.Quarantined> quarantined, long recordsIngested, List<String> withoutTraffic,
        int statements, boolean accountsChosen, Instant endOfRun) {

    /** More quarantined than this share of the records is a warning. */
    static final double QUARANTINE_WARNING = 0.01;

    Map<String, Integer> byReason() {
        Map<String, Integer> byReason = new TreeMap<>();
        quarantined.forEach(q -> byReason.merge(q.reason(), 1, Integer::sum));
        return byReason;
    }

    /** The summary lines, indented under the run's "Summary". */
    void print(PrintStream out) {
        out.printf("  coverage of %s (%s): %,d lines read (%,d blank%s), %,d records: %,d in the month, %,d outside it, "
                + "%,d the ingest parser cannot read%n", month, zone, read.lines(), read.blank(),
                read.gzip() ? ", gzip" : "", read.records(), read.inMonth(), read.outsideMonth(), read.unreadable());
        if (read.skipped() > 0) {
            out.printf("    %,d lines of other accounts skipped (--account)%n", read.skipped());
        }
        if (read.inMonth() + read.outsideMonth() > 0) {
            out.println("    intervals from " + Instant.ofEpochSecond(read.firstInterval()) + " to "
                    + Instant.ofEpochSecond(read.lastInterval()));
        }
        out.printf("  quarantined: %,d of %,d records (%.2f %%)%s%n", quarantined.size(), recordsIngested,
                share() * 100, quarantined.isEmpty() ? "" : ", by reason " + byReason());
        out.printf("  accounts: %,d with traffic in the month; %,d of the %,d statements computed from no traffic "
                + "(100 %%, S3.1, \"traffic\": \"none\")%s%n", read.accountsInMonth(), withoutTraffic.size(),
                statements, withoutTraffic.isEmpty() ? "" : ": " + names(withoutTraffic));
        out.printf("  records of accounts not in %s: %,d%n", accountsFile.getFileName(), read.unknownRecords());
    }

    private double share() {
        return recordsIngested == 0 ? 0 : (double) quarantined.size() / recordsIngested;
    }

    /** One line per way the input cannot support the month. */
    List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        Instant monthEnds = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        if (endOfRun.isBefore(monthEnds)) {
            warnings.add("--now " + endOfRun + " is before " + month + " has ended (" + monthEnds + ", " + zone
                    + "): the statements count only the traffic up to then, and every interval after it as available");
        }
        if (read.records() == 0) {
            warnings.add(trafficFile + " has no records" + (read.skipped() > 0 ? " of the chosen accounts" : "")
                    + ": every account's availability is 100 % by definition (S2), which may not be what happened");
        } else if (read.inMonth() == 0) {
            warnings.add("no record of " + trafficFile + " is in " + month + " (" + zone + ")"
                    + (read.outsideMonth() > 0 ? ": its " + String.format("%,d", read.outsideMonth())
                            + " readable records are from " + day(read.firstInterval()) + " to "
                            + day(read.lastInterval()) : "")
                    + "; every statement of " + month + " says 100 % (S3.1) without any traffic: wrong --month or file?");
        }
        if (share() > QUARANTINE_WARNING) {
            warnings.add(String.format("%,d of %,d records (%.1f %%) were quarantined, more than %.0f %%: %s",
                    quarantined.size(), recordsIngested, share() * 100, QUARANTINE_WARNING * 100, byReason()));
        }
        Map<String, Long> unknown = read.unknownAccounts();
        if (!unknown.isEmpty()) {
            warnings.add(String.format("%,d records of %,d accounts not in %s (%s), so no statement counts them: %s",
                    read.unknownRecords(), unknown.size(), accountsFile,
                    accountsChosen ? "skipped by --account" : "ingested, as production would",
                    unknown.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                            .map(e -> String.format("%s (%,d)", e.getKey(), e.getValue())).toList()
                            + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : "")));
        }
        return warnings;
    }

    private LocalDate day(long epochSecond) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), zone);
    }

    private static String names(List<String> ids) {
        return String.join(", ", ids.stream().limit(10).toList()) + (ids.size() > 10 ? " and " + (ids.size() - 10)
                + " more" : "");
    }
}
