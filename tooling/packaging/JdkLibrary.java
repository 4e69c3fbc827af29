import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The JDK's classes as a jar, for ProGuard's -libraryjars (issue 32 item 2): ProGuard must see the class
 * hierarchy of the platform to know which methods of a package override a JDK method (toString, compare,
 * run, ...) and so must stay, and JDKs from 24 on ship no jmods to read it from. Writes the classes of the
 * modules a Lambda package's code refers to, from the running JDK's run-time image (jrt:/), once per JDK
 * version: run as a single-file program by the function modules' build, {@code java JdkLibrary.java <jar>}.
 */
public final class JdkLibrary {
    private static final List<String> MODULES = List.of("java.base", "java.logging", "java.xml", "java.sql",
            "java.desktop", "java.datatransfer", "java.naming", "java.management", "java.net.http",
            "java.scripting", "java.instrument", "jdk.unsupported", "jdk.httpserver");

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        if (Files.isRegularFile(jar)) {
            return;
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        Path partial = Files.createTempFile(jar.toAbsolutePath().getParent(), "jdk", ".partial");
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setLevel(1);
            for (String module : MODULES) {
                Path root = jrt.getPath("/modules", module);
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> classes = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) classes.filter(f -> f.toString().endsWith(".class")
                            && !f.getFileName().toString().equals("module-info.class"))::iterator) {
                        zip.putNextEntry(new ZipEntry(root.relativize(p).toString()));
                        zip.write(Files.readAllBytes(p));
                        zip.closeEntry();
                    }
                }
            }
        }
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
