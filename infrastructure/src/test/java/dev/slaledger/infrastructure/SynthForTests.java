package dev.slaledger.infrastructure;

import java.util.Map;

/** The app's one synth of this test JVM ({@link Synth}), for the tests of other packages. */
public final class SynthForTests {
    private static SynthForTests instance;
    private final Synth synth;

    private SynthForTests(Synth synth) {
        this.synth = synth;
    }

    public static synchronized SynthForTests get() {
        if (instance == null) {
            instance = new SynthForTests(Synth.get());
        }
        return instance;
    }

    public String dataStackName() {
        return synth.stacks.data().getStackName();
    }

    public String appStackName() {
        return synth.stacks.app().getStackName();
    }

    public Map<String, Object> dataTemplate() {
        return synth.data.toJSON();
    }

    public Map<String, Object> appTemplate() {
        return synth.app.toJSON();
    }
}
