package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;

/** One-line structured log entries; account ids and versions only, never addresses or mail content. */
final class Log {
    private Log() {
    }

    static void info(Context context, String message) {
        write(context, "INFO", message);
    }

    static void warn(Context context, String message) {
        write(context, "WARN", message);
    }

    private static void write(Context context, String level, String message) {
        String line = "{\"level\":\"" + level + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n") + "\"}";
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            System.out.println(line);
        }
    }
}
