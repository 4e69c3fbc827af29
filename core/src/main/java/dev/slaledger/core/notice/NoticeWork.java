package dev.slaledger.core.notice;

import java.util.List;
import java.util.Objects;

/**
 * One unit of notice work a worker takes from the notice queue (S9.2): some accounts and what to
 * check for them. The dispatcher pages accounts into such units; a worker that cannot finish one
 * hands the rest on as another.
 *
 * @param kind      what the worker checks for each account
 * @param key       the version id ({@link Kind#CHANGE}), the month {@code yyyy-MM}
 *                  ({@link Kind#ELIGIBILITY}), empty for {@link Kind#ACCOUNT}
 * @param accountIds the accounts, in listing order
 * @param attempt   1 for work the dispatcher listed; one more each time a failing account is handed
 *                  on again (bounded: {@code NoticeWorker.MAX_ATTEMPTS})
 * @param versions  how many terms versions were published when the work was listed (the worker reads
 *                  the terms again only when it knows fewer); 0 when unknown
 */
public record NoticeWork(Kind kind, String key, List<String> accountIds, int attempt, int versions) {
    public enum Kind {
        /** The SLA-change notice of version {@code key} (S6.2): the version sweep. */
        CHANGE,
        /** The eligibility notices (S8) of month {@code key}: the month's sweep, or a statement that became compensable. */
        ELIGIBILITY,
        /** Everything owed to the accounts (every version's notice, eligibility of months whose window is open): after a billing change. */
        ACCOUNT
    }

    public NoticeWork {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        accountIds = List.copyOf(accountIds);
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        if (versions < 0) {
            throw new IllegalArgumentException("versions must be >= 0, was " + versions);
        }
    }

    public static NoticeWork change(String version, List<String> accountIds, int versions) {
        return new NoticeWork(Kind.CHANGE, version, accountIds, 1, versions);
    }

    public static NoticeWork eligibility(java.time.YearMonth month, List<String> accountIds, int versions) {
        return new NoticeWork(Kind.ELIGIBILITY, month.toString(), accountIds, 1, versions);
    }

    public static NoticeWork account(List<String> accountIds) {
        return new NoticeWork(Kind.ACCOUNT, "", accountIds, 1, 0);
    }

    /** The same work for other accounts (the rest of a unit, handed on). */
    public NoticeWork withAccounts(List<String> ids) {
        return new NoticeWork(kind, key, ids, attempt, versions);
    }

    /** The same work for {@code ids}, one attempt further (failing accounts, retried). */
    public NoticeWork retry(List<String> ids) {
        return new NoticeWork(kind, key, ids, attempt + 1, versions);
    }

    /** The campaign the work belongs to: {@code CHANGE#{version}}, {@code ELIGIBILITY#{month}}, {@code ACCOUNT}. */
    public String campaign() {
        return key.isEmpty() ? kind.name() : kind.name() + "#" + key;
    }
}
