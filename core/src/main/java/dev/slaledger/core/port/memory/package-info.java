/**
 * The in-memory twin of every port, with the conditional semantics of the real stores, and the one
 * settable clock ({@link dev.slaledger.core.port.memory.SettableClock}): what the
 * tests of every module run the use cases on, and what the local runtime runs them on where it keeps
 * everything in its own memory ({@code replay --engine memory}, the timeline's checks). Main code, so
 * the shipped tool has it (issue 28 item 0: nothing shipped depends on a test-jar); the engine itself
 * never depends on it (CoreDependencyRulesTest), and the Lambda packages leave it out (the root pom's
 * shade filter).
 */
package dev.slaledger.core.port.memory;
