package io.github.keycloakhasura.graphql.engine.fastlists;

import graphql.GraphQL;
import graphql.Internal;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FastLists} replaces part of graphql-java's executor and uses some of its {@code @Internal} APIs: it was
 * verified against one graphql-java version ({@link FastLists#VERIFIED_GRAPHQL_JAVA}), and every {@code @Internal}
 * type and member it uses is listed in one place ({@link FastLists#GRAPHQL_JAVA_INTERNALS},
 * {@link FastLists#GRAPHQL_JAVA_INTERNAL_MEMBERS}).
 */
class FastListsGraphqlJavaTest {

    /** FastLists' sources (the strategy and its plain-selection plan), relative to the module (surefire's directory). */
    private static final List<Path> SOURCES = List.of(source(FastLists.class), source(PlainSelection.class));

    private static Path source(Class<?> type) {
        return Path.of("src/main/java", type.getName().replace('.', '/') + ".java");
    }

    private static String sources() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path source : SOURCES) {
            text.append(Files.readString(source)).append('\n');
        }
        return text.toString();
    }

    @Test
    void theDifferentialSuiteWasReviewedAgainstTheGraphqlJavaOnTheClasspath() throws Exception {
        String found = graphqlJavaVersion();
        assertEquals(release(FastLists.VERIFIED_GRAPHQL_JAVA), release(found), "graphql-java is now " + found
                + ", FastLists was verified against " + FastLists.VERIFIED_GRAPHQL_JAVA + ". FastLists replaces part of"
                + " graphql-java's executor (ExecutionStrategy.completeValueForList) and uses its @Internal APIs"
                + " (FastLists.GRAPHQL_JAVA_INTERNALS): re-run FastListsTest (the differential suite), review its"
                + " cases and FastLists against the new version's executor and the listed internals, then set"
                + " FastLists.VERIFIED_GRAPHQL_JAVA = \"" + release(found) + "\".");
    }

    /** The version of the graphql-java jar the tests run with (the artifact the shade plugin packs). */
    private static String graphqlJavaVersion() throws IOException, URISyntaxException {
        Path jar = Path.of(GraphQL.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(jar), "graphql-java must come from its jar, not " + jar);
        try (JarFile file = new JarFile(jar.toFile())) {
            String version = file.getManifest().getMainAttributes().getValue("Bundle-Version");
            assertTrue(version != null && !version.isBlank(), "no Bundle-Version in " + jar + "'s manifest");
            return version.trim();
        }
    }

    /** 24.3.0 (OSGi's Bundle-Version) and 24.3 (Maven's) are the same release. */
    private static String release(String version) {
        String release = version.trim();
        while (release.endsWith(".0") && release.indexOf('.') != release.lastIndexOf('.')) {
            release = release.substring(0, release.length() - 2);
        }
        return release;
    }

    @Test
    void everyListedInternalIsInternal() throws IOException {
        for (Class<?> type : FastLists.GRAPHQL_JAVA_INTERNALS) {
            assertTrue(type.isAnnotationPresent(Internal.class), type + " is not @Internal (any more): remove it from the list");
        }
        Set<Class<?>> used = usedTypes(sources());
        for (String entry : FastLists.GRAPHQL_JAVA_INTERNAL_MEMBERS) {
            String[] parts = entry.split("#");
            Class<?> owner = used.stream().filter(c -> c.getSimpleName().equals(parts[0])).findFirst().orElse(null);
            assertTrue(owner != null, entry + ": FastLists uses no type " + parts[0]);
            assertFalse(members(owner).stream().filter(m -> name(m).equals(parts[1])).toList().isEmpty(),
                    entry + ": " + owner.getName() + " has no member " + parts[1]);
            assertTrue(members(owner).stream().anyMatch(m -> name(m).equals(parts[1]) && internal(m)),
                    entry + " is not @Internal (any more): remove it from the list");
        }
    }

    @Test
    void everyInternalTypeAndMemberFastListsUsesIsListed() throws IOException {
        String source = sources();
        Set<Class<?>> types = usedTypes(source);
        Set<String> internalTypes = types.stream().filter(t -> t.isAnnotationPresent(Internal.class))
                .map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> listedTypes = FastLists.GRAPHQL_JAVA_INTERNALS.stream().map(Class::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(listedTypes, internalTypes, "the @Internal graphql-java types FastLists uses must be exactly "
                + "FastLists.GRAPHQL_JAVA_INTERNALS (with a word on why each is needed)");

        Set<String> called = matches(source, "\\b(\\w+)\\s*\\(");
        Set<String> words = matches(source, "\\b(\\w+)\\b");
        Set<String> internalMembers = new TreeSet<>();
        for (Class<?> type : types) {
            for (Member member : members(type)) {
                String name = name(member);
                boolean usedHere = member instanceof Field ? words.contains(name)
                        : member instanceof Method ? called.contains(name)
                        : source.matches("(?s).*\\bnew\\s+" + type.getSimpleName() + "\\s*\\(.*");
                if (usedHere && internal(member) && !type.isAnnotationPresent(Internal.class)) {
                    internalMembers.add(type.getSimpleName() + "#" + name);
                }
            }
        }
        assertTrue(internalMembers.contains("ExecutionContext#hasIncrementalSupport"), "the scan finds known uses");
        assertEquals(new TreeSet<>(FastLists.GRAPHQL_JAVA_INTERNAL_MEMBERS), internalMembers, "the @Internal members "
                + "of public graphql-java types FastLists uses (or names) must be exactly "
                + "FastLists.GRAPHQL_JAVA_INTERNAL_MEMBERS (with a word on why each is needed)");
    }

    /**
     * The graphql-java types the source names (imports, qualified names), its graphql-java superclasses, and then,
     * until nothing new turns up, the graphql-java types of the fields it names and of the methods it calls on them
     * (e.g. {@code context.getExecutionStepInfo()} uses ExecutionStepInfo without importing it). By name: an
     * overload or a same-named method of another type counts too, which can only list more, never less.
     */
    private static Set<Class<?>> usedTypes(String source) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (String name : matches(source, "(?<![\\w.])(graphql(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*)")) {
            types.add(load(name));
        }
        for (Class<?> c = FastLists.class.getSuperclass(); c != null && c.getName().startsWith("graphql."); c = c.getSuperclass()) {
            types.add(c);
        }
        Set<String> called = matches(source, "\\b(\\w+)\\s*\\(");
        Set<String> words = matches(source, "\\b(\\w+)\\b");
        boolean grew = true;
        while (grew) {
            List<Class<?>> reached = new ArrayList<>();
            for (Class<?> type : types) {
                for (Member member : members(type)) {
                    if (member instanceof Method m && called.contains(m.getName())) {
                        reached.add(m.getReturnType());
                    } else if (member instanceof Field f && words.contains(f.getName())) {
                        reached.add(f.getType());
                    }
                }
            }
            grew = false;
            for (Class<?> type : reached) {
                if (type.getName().startsWith("graphql.")) {
                    grew |= types.add(type);
                }
            }
        }
        return types;
    }

    /** Members FastLists can reach: public ones, and the protected ones of its superclasses. */
    private static List<Member> members(Class<?> type) {
        boolean inherited = type.isAssignableFrom(FastLists.class);
        Stream<Member> declared = Stream.of(type.getDeclaredMethods(), type.getDeclaredFields(), type.getDeclaredConstructors())
                .flatMap(Stream::of)
                .map(Member.class::cast)
                .filter(m -> Modifier.isPublic(m.getModifiers()) || inherited && Modifier.isProtected(m.getModifiers()));
        return Stream.concat(declared, Stream.of(type.getMethods())).distinct().toList();
    }

    private static String name(Member member) {
        return member instanceof java.lang.reflect.Constructor<?> ? "new" : member.getName();
    }

    private static boolean internal(Member member) {
        return ((AnnotatedElement) member).isAnnotationPresent(Internal.class);
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** A class by its source name ({@code a.b.Outer.Inner} too). */
    private static Class<?> load(String sourceName) {
        String name = sourceName;
        while (true) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                int dot = name.lastIndexOf('.');
                if (dot < 0) {
                    throw new AssertionError("FastLists names " + sourceName + ", which is not on the classpath");
                }
                name = name.substring(0, dot) + "$" + name.substring(dot + 1);
            }
        }
    }
}
