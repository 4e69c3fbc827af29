package dev.slaledger.core.port;

import dev.slaledger.core.statement.Statement;

/**
 * Announces statements with compensation above zero to billing and customer communication
 * (an EventBridge event in AWS). Delivery is at least once: consumers deduplicate on
 * account, month and revision.
 */
public interface StatementEvents {
    void compensableStatement(Statement statement);
}
