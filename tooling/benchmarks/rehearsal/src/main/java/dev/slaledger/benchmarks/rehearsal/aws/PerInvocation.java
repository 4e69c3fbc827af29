package dev.slaledger.benchmarks.rehearsal.aws;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * An adapter as Lambda holds it: one instance per invocation (in AWS each execution environment has
 * its own, and whatever it buffered dies with a killed invocation). One instance shared by every
 * simulated invocation would let one invocation send what a killed one had buffered (hiding a loss),
 * and its monitor, held across a simulated request, would stop the simulation when a second
 * invocation wanted it.
 */
final class PerInvocation<T> {
    private final Aws aws;
    private final Supplier<T> factory;
    private final Map<SimLambda.Invocation, T> instances = new WeakHashMap<>();

    PerInvocation(Aws aws, Supplier<T> factory) {
        this.aws = aws;
        this.factory = factory;
    }

    T current(String what) {
        SimLambda.Invocation inv = aws.activity().invocation();
        if (inv == null) {
            throw new IllegalStateException(what + " outside a Lambda invocation");
        }
        return instances.computeIfAbsent(inv, i -> factory.get());
    }
}
