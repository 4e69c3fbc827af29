package dev.slaledger.core.traffic;



/** One account in one five-minute interval: the unit of a DynamoDB aggregate item. */
public record AggregateKey(String accountId, long intervalStart) {
}
