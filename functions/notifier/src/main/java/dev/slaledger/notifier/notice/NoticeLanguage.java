package dev.slaledger.notifier.notice;

import java.util.Locale;
import java.util.Optional;

/**
 * The languages notices are written in. An account's locale picks one by its language:
 * any Chinese locale (zh, zh-CN, zh-Hans, zh-TW ...) gets Simplified Chinese, the only
 * Chinese the templates have; everything else, and no locale, gets English.
 */
public enum NoticeLanguage {
    EN("en", Locale.ENGLISH),
    ZH_CN("zh-CN", Locale.SIMPLIFIED_CHINESE);

    private final String tag;
    private final Locale locale;

    NoticeLanguage(String tag, Locale locale) {
        this.tag = tag;
        this.locale = locale;
    }

    /** The BCP 47 tag, also the folder of the language's templates. */
    public String tag() {
        return tag;
    }

    public Locale locale() {
        return locale;
    }

    public static NoticeLanguage of(Optional<Locale> accountLocale) {
        return accountLocale.filter(l -> "zh".equals(l.getLanguage())).isPresent() ? ZH_CN : EN;
    }
}
