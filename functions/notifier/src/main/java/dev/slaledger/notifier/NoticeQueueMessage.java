package dev.slaledger.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.adapter.sqs.NoticeWorkMessage;
import dev.slaledger.core.notice.NoticeWork;
import java.io.IOException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a body on the notice queue is. Three producers write there:
 * <ul>
 * <li>the dispatcher and the workers: a unit of notice work ({@link NoticeWorkMessage});</li>
 * <li>the {@code NoticeStatementEvents} rule: a {@code StatementCompensable} event (source
 * {@code sla-ledger}, detail = the statement, D3): a statement that became compensable, or more so,
 * after its month's eligibility sweep (S8.2 "or later when a restatement makes it compensable");</li>
 * <li>the {@code NoticeBillingEvents} rule: a billing event that may make a notice owed
 * ({@code SubscriptionPurchased}: a new account or term; {@code ContactChanged}: an address where
 * there was none or an undeliverable one).</li>
 * </ul>
 * Anything else is malformed: it goes to the dead-letter queue (retrying cannot fix it).
 */
sealed interface NoticeQueueMessage {
    ObjectMapper JSON = new ObjectMapper();
    Set<String> BILLING_TYPES = Set.of("SubscriptionPurchased", "ContactChanged");

    /** The notice work this message stands for (what a rescue record lists again); empty when malformed. */
    Optional<NoticeWork> work();

    record Work(NoticeWork unit) implements NoticeQueueMessage {
        @Override
        public Optional<NoticeWork> work() {
            return Optional.of(unit);
        }
    }

    record Compensable(String accountId, YearMonth month) implements NoticeQueueMessage {
        /** The account-month, decided at once. */
        @Override
        public Optional<NoticeWork> work() {
            return Optional.of(NoticeWork.eligibility(month, List.of(accountId), 0));
        }
    }

    record AccountChanged(String accountId, String detailType) implements NoticeQueueMessage {
        /** Everything owed to the account. */
        @Override
        public Optional<NoticeWork> work() {
            return Optional.of(NoticeWork.account(List.of(accountId)));
        }
    }

    record Malformed(String reason) implements NoticeQueueMessage {
        @Override
        public Optional<NoticeWork> work() {
            return Optional.empty();
        }
    }

    static NoticeQueueMessage parse(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return new Malformed("not JSON");
        }
        if (n == null || !n.isObject()) {
            return new Malformed("not a JSON object");
        }
        if (NoticeWorkMessage.isNoticeWork(n)) {
            try {
                return new Work(NoticeWorkMessage.parse(n));
            } catch (IllegalArgumentException e) {
                return new Malformed(e.getMessage());
            }
        }
        String source = n.path("source").asText("");
        String type = n.path("detail-type").asText("");
        JsonNode detail = n.path("detail");
        String accountId = detail.path("accountId").asText("");
        if ("sla-ledger".equals(source) && "StatementCompensable".equals(type)) {
            if (accountId.isBlank()) {
                return new Malformed("StatementCompensable without detail.accountId");
            }
            try {
                return new Compensable(accountId, YearMonth.parse(detail.path("month").asText("")));
            } catch (DateTimeParseException e) {
                return new Malformed("StatementCompensable detail.month is not yyyy-MM");
            }
        }
        if ("billing".equals(source) && BILLING_TYPES.contains(type)) {
            if (accountId.isBlank()) {
                return new Malformed(type + " without detail.accountId");
            }
            return new AccountChanged(accountId, type);
        }
        return new Malformed("neither notice work nor an event the notices take (source " + source
                + ", detail-type " + type + ")");
    }
}
