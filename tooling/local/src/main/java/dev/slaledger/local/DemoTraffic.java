package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.terms.ClaimRules;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.terms.Tier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's simulated month: accounts in eight profiles (every compensation tier, a maintenance
 * window, a partial term, a term that ends mid-month, a quiet and a healthy account), their D2
 * billing data and their D1 traffic, day by day. Deterministic for a seed.
 *
 * <p>Background traffic is one pre-aggregated 5-minute interval per hour per account, not all
 * 288 of a day (each one a conditional write; moto, single-threaded over HTTP, applies fewer a second than the 1,000-2,000 of DynamoDB Local before it);
 * incidents are written interval by interval.
 */
final class DemoTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMES = {"acme", "globex", "initech", "umbrella", "hooli", "wayne", "stark", "tyrell"};

    enum Kind { TIER10, TIER25, TIER50, QUIET, HEALTHY, MAINTENANCE, PARTIAL, ENDED }

    record Profile(String accountId, Kind kind, String description) {
    }

    record Window(String id, Instant start, Instant end, Instant announcedAt, List<String> accounts,
            String description) {
        String json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", id);
            n.put("start", start.toString());
            n.put("end", end.toString());
            n.put("announcedAt", announcedAt.toString());
            accounts.forEach(n.putArray("accounts")::add);
            return n.toString();
        }
    }

    private final YearMonth month;
    private final List<Profile> profiles = new ArrayList<>();
    private final List<JsonNode> accounts = new ArrayList<>();
    private final List<Window> windows = new ArrayList<>();
    private final List<List<byte[]>> days = new ArrayList<>();
    private long total;

    DemoTraffic(YearMonth month, int count, long seed) {
        this.month = month;
        Random random = new Random(seed);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < count; i++) {
            Kind kind = kinds[i % kinds.length];
            String id = NAMES[i % NAMES.length] + (i < NAMES.length ? "" : "-" + (i / NAMES.length + 1));
            profiles.add(new Profile(id, kind, describe(kind)));
            accounts.add(account(id, kind, i));
        }
        List<String> maintained = profiles.stream().filter(p -> p.kind() == Kind.MAINTENANCE).map(Profile::accountId)
                .toList();
        List<String> lateCovered = profiles.stream().filter(p -> p.kind() == Kind.TIER25).map(Profile::accountId)
                .toList();
        if (!maintained.isEmpty()) {
            windows.add(new Window("mw-db-upgrade", at(12, 60), at(12, 300), at(5, 9 * 60), maintained,
                    "day 12 01:00-05:00 UTC, announced a week ahead: its errors are excluded"));
        }
        if (!lateCovered.isEmpty()) {
            windows.add(new Window("mw-emergency", at(14, 120), at(14, 240), at(14, 150), lateCovered,
                    "day 14 02:00-04:00 UTC, announced after it began: excludes nothing (S2.4)"));
        }
        for (int day = 1; day <= month.lengthOfMonth(); day++) {
            List<byte[]> records = new ArrayList<>();
            for (Profile p : profiles) {
                day(records, p, day, random);
            }
            if (day == 9) { // a collector's bad lines: quarantined with their reason, never dropped (D1)
                records.add(bytes("{\"accountId\":\"" + profiles.get(0).accountId() + "\",\"timestamp\":\""
                        + month.atDay(9) + "T10:00:00Z\",\"status\":503,\"exclusion\":\"planned\"}"));
                records.add(bytes("{\"accountId\":\"" + profiles.get(0).accountId() + "\",\"intervalStart\":\""
                        + month.atDay(9) + "T10:02:00Z\",\"valid\":10,\"errors\":0}"));
                records.add(bytes("{\"accountId\":\"" + profiles.get(0).accountId() + "\",\"timestamp\":\"" + month.atDay(9)));
            }
            total += records.size();
            days.add(records);
        }
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case TIER10 -> "a 4-hour partial outage on day 8 (10% tier expected), notices in Chinese (zh-CN)";
            case TIER25 -> "a 22-hour outage on day 14, partly under a window announced too late (25% tier)";
            case TIER50 -> "a 60-hour outage from day 20 (50% tier, capped at 50% of the base)";
            case QUIET -> "subscribed, no traffic at all (100%)";
            case HEALTHY -> "steady traffic, a few stray 5xx (SLA met)";
            case MAINTENANCE -> "a 4-hour outage inside an announced maintenance window (excluded, SLA met)";
            case PARTIAL -> "term starts on day 17 (partial period); trial traffic before it does not count; "
                    + "a 100-minute outage on day 20 (10% tier)";
            case ENDED -> "term cancelled, ends on day 10 (partial period); not told of the terms change";
        };
    }

    private JsonNode account(String id, Kind kind, int index) {
        ObjectNode a = JSON.createObjectNode();
        a.put("accountId", id);
        a.put("email", "sla@" + id + ".example");
        if (kind == Kind.TIER10) {
            a.put("locale", "zh-CN");
        }
        LocalDate start = kind == Kind.PARTIAL ? month.atDay(17) : month.minusMonths(3).atDay(1);
        LocalDate end = kind == Kind.ENDED ? month.atDay(10) : month.plusMonths(11).atEndOfMonth();
        a.putArray("terms").addObject().put("start", start.toString()).put("end", end.toString());
        String currency = switch (index % 3) {
            case 0 -> "EUR";
            case 1 -> "USD";
            default -> "CNY";
        };
        String amount = kind == Kind.PARTIAL ? "400.00" : kind == Kind.ENDED ? "300.00" : (800 + 100 * (index % 5)) + ".00";
        String voucherPaid = kind == Kind.TIER10 ? "100.00" : "0.00";
        a.putObject("fees").putObject(month.toString()).put("amount", amount).put("voucherPaid", voucherPaid)
                .put("currency", currency);
        return a;
    }

    private Instant at(int day, int minutes) {
        return month.atDay(day).atStartOfDay().plusMinutes(minutes).toInstant(ZoneOffset.UTC);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void aggregate(List<byte[]> out, String account, Instant interval, long valid, long errors, long unreached) {
        out.add(bytes("{\"accountId\":\"" + account + "\",\"intervalStart\":\"" + interval + "\",\"valid\":" + valid
                + ",\"errors\":" + errors + (unreached > 0 ? ",\"unreachedErrors\":" + unreached : "") + "}"));
    }

    /** {@code count} consecutive failing intervals from {@code day} at {@code minute}. */
    private void outage(List<byte[]> out, String account, int day, int minute, int count, Random random, int today) {
        for (int i = 0; i < count; i++) {
            Instant t = at(day, minute + 5 * i);
            if (!LocalDate.ofInstant(t, ZoneOffset.UTC).equals(month.atDay(today))) {
                continue;
            }
            long valid = 150 + random.nextInt(100);
            long errors = valid - random.nextInt(Math.max(1, (int) (valid / 8)));
            aggregate(out, account, t, valid, errors, random.nextInt(4));
        }
    }

    private void day(List<byte[]> out, Profile p, int day, Random random) {
        if (p.kind() == Kind.QUIET) {
            return;
        }
        if (p.kind() == Kind.ENDED && day > 10) {
            return;
        }
        String id = p.accountId();
        for (int hour = 0; hour < 24; hour++) {
            long valid = 600 + random.nextInt(800);
            long errors = random.nextInt(10) < 3 ? 1 : 0;
            aggregate(out, id, at(day, hour * 60), valid, errors, 0);
        }
        // raw request records from the API gateway (the other D1 shape);
        // raw request records land in the hour's sampled interval, among its hundreds of requests
        for (int i = 0; i < 6; i++) {
            Instant t = at(day, random.nextInt(24) * 60 + random.nextInt(5)).plusMillis(random.nextInt(60_000));
            int status = switch (random.nextInt(6)) {
                case 0 -> 404;
                case 1 -> 503;
                case 2 -> 201;
                default -> 200;
            };
            out.add(bytes("{\"accountId\":\"" + id + "\",\"timestamp\":\"" + t + "\",\"status\":" + status
                    + ",\"reached\":true,\"exclusion\":null}"));
        }
        switch (p.kind()) {
            case TIER10 -> {
                outage(out, id, 8, 13 * 60, 48, random, day);
                if (day == 8) { // requests that never reached the server (provider-side fault, S2.3)
                    for (int i = 0; i < 5; i++) {
                        out.add(bytes("{\"accountId\":\"" + id + "\",\"timestamp\":\"" + at(8, 17 * 60 + 5 * i)
                                .plusSeconds(30) + "\",\"reached\":false}"));
                    }
                }
            }
            case TIER25 -> outage(out, id, 14, 60, 264, random, day);
            case TIER50 -> outage(out, id, 20, 0, 720, random, day);
            case MAINTENANCE -> outage(out, id, 12, 60, 48, random, day);
            case PARTIAL -> {
                outage(out, id, 5, 8 * 60, 30, random, day); // before the term: outside the period (S1.2)
                outage(out, id, 20, 9 * 60, 20, random, day);
            }
            default -> {
            }
        }
    }

    YearMonth month() {
        return month;
    }

    List<Profile> profiles() {
        return profiles;
    }

    List<JsonNode> accounts() {
        return accounts;
    }

    long totalRecords() {
        return total;
    }

    List<byte[]> recordsOfDay(int day) {
        return days.get(day - 1);
    }

    List<Window> windowsAnnouncedOn(int day) {
        return windows.stream().filter(w -> LocalDate.ofInstant(w.announcedAt(), ZoneOffset.UTC)
                .equals(month.atDay(day))).toList();
    }

    /**
     * The terms change the demo publishes on {@code publishOn}: commitment 99.95%, claims close three
     * months after the period, effective on the first day of the month after the notice period.
     */
    /**
     * The demo's second terms version (S8.3): the same numbers with {@code autoClaim}, effective on
     * the first day of the month, so an account notified 30 days ahead is governed by it (S6.3).
     */
    TermsVersion autoClaimTerms(TermsVersion current) {
        return TermsVersion.validated(month + "-autoclaim", month.atDay(1), current.timeZone(), current.commitment(),
                current.tiers(), current.capPercent(), current.claim(), current.noticeDays(), current.holidays(),
                new dev.slaledger.core.terms.Eligibility(false, true));
    }

    TermsVersion nextTerms(TermsVersion current, LocalDate publishOn) {
        LocalDate effective = YearMonth.from(publishOn.plusDays(current.noticeDays())).plusMonths(1).atDay(1);
        BigDecimal commitment = new BigDecimal("99.95");
        List<Tier> tiers = new ArrayList<>();
        for (Tier t : current.tiers()) {
            tiers.add(t.below().compareTo(current.commitment()) == 0 ? new Tier(t.atLeast(), commitment, t.percent()) : t);
        }
        return TermsVersion.validated(YearMonth.from(effective).toString(), effective, current.timeZone(), commitment,
                tiers, current.capPercent(), new ClaimRules(current.claim().opensAfterWorkingDays(),
                        current.claim().closesMonthsAfterPeriodEnd() + 1), current.noticeDays(), current.holidays());
    }
}
