package io.github.keycloakhasura.graphql;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.keycloakhasura.compat.KeycloakCompat;
import io.github.keycloakhasura.graphql.account.EmailVerification;
import io.github.keycloakhasura.graphql.account.PasswordReset;
import io.github.keycloakhasura.graphql.account.LoginActions;
import io.github.keycloakhasura.graphql.account.ProbedForm;
import io.github.keycloakhasura.graphql.account.ProfileErrors;
import io.github.keycloakhasura.graphql.account.Self;
import io.github.keycloakhasura.graphql.account.ThemeMessages;
import io.github.keycloakhasura.mapper.HasuraClaims;
import io.github.keycloakhasura.mapper.HasuraClaimsMapper;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.trust.TrustBoundary;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RoleUtils;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.endpoints.TokenEndpoint;
import org.keycloak.protocol.oidc.endpoints.TokenRevocationEndpoint;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * With the {@code account} package (the caller's own account), the only code that touches Keycloak's internals:
 * every operation goes through Keycloak's own endpoint classes,
 * grant types and managers, in process (never over HTTP), so brute-force detection, required actions, events,
 * client policies and every protocol mapper apply exactly as at {@code /protocol/openid-connect/token}.
 * <p>
 * Each mutation runs in its own Keycloak transaction (as a separate call to the token endpoint would): it either
 * happens completely or not at all, whatever the other fields of the same GraphQL request do. Error events and
 * brute-force bookkeeping are written by Keycloak in their own transactions and survive a rollback.
 * One instance per HTTP request.
 */
final class KeycloakAuth implements Backend {

    private static final Logger LOG = Logger.getLogger(KeycloakAuth.class);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    static final String INVALID_CREDENTIALS = "Invalid username or password";

    private final KeycloakSession session;
    private final GraphqlConfig config;
    private final TrustBoundary trust;
    /** Set by the fetchers before each mutation: the operation's only root field (see {@link #inOwnTransaction}). */
    private boolean soleMutation;
    /** users/usersPage/user, per request: each listed user looked up once, its roles expanded once. */
    private final Map<String, UserModel> usersById = new HashMap<>();
    private final Map<String, Set<RoleModel>> deepRoles = new HashMap<>();
    /** The configured client's Hasura mapper, resolved once per request (null: not yet; empty: none). */
    private Optional<HasuraSetup> hasuraSetup;

    /** The Hasura mapper config of the configured client and the client its client roles come from. */
    private record HasuraSetup(HasuraMapperConfig config, ClientModel rolesClient) {
    }

    KeycloakAuth(KeycloakSession session, GraphqlConfig config, TrustBoundary trust) {
        this.session = session;
        this.config = config;
        this.trust = trust;
    }

    /** What the token endpoint answered, reduced to what the API returns. */
    record Tokens(String token, String refreshToken, Object payload, Long refreshExpiresIn,
                  Long expiresIn, String idToken) {
    }

    /** A newly registered user and the tokens it was logged in with. */
    record SignUp(UserView user, Tokens tokens) {
    }

    /** The caller of an authenticated query; {@code claims}: the token's non-standard claims (Hasura's among them). */
    record Caller(UserModel user, AccessToken token, ClientModel client, Map<String, Object> claims) {
    }

    /** A user, as the API shows it (no credentials). Roles and profile are resolved lazily by the fetchers. */
    record UserView(String id, String username, String email, String firstName, String lastName,
                    boolean emailVerified, boolean isActive, String dateJoined, String hasuraRole,
                    Map<String, Object> hasura) {

        static UserView of(UserModel user, String hasuraRole, Map<String, Object> hasura) {
            Long created = user.getCreatedTimestamp();
            return new UserView(user.getId(), user.getUsername(), user.getEmail(), user.getFirstName(), user.getLastName(),
                    user.isEmailVerified(), user.isEnabled(), created == null ? null : Instant.ofEpochMilli(created).toString(),
                    hasuraRole, hasura);
        }
    }

    @Override
    public void soleMutation(boolean sole) {
        this.soleMutation = sole;
    }

    // ------------------------------------------------------------------------------------------------ mutations

    @Override
    public Tokens login(String username, String password, String clientId, String scope) {
        return login(username, password, clientId, scope, null, null);
    }

    /**
     * {@code otp} goes to Keycloak's direct-grant OTP step; OTP_REQUIRED and ACTION_REQUIRED are answered only
     * when Keycloak's flow got past the password (see {@link ProbedForm}, {@link LoginActions}).
     */
    @Override
    public Tokens login(String username, String password, String clientId, String scope, String otp, String newPassword) {
        if (blank(username) || blank(password)) {
            throw GraphqlException.badInput("username and password must not be empty");
        }
        String client = blank(clientId) ? config.clientId() : clientId.trim();
        requireAllowedClient(client);
        if (TrustBoundary.asksOffline(scope) && !trust.allowOfflineTokens()) {
            throw offlineRefused();
        }
        // A GraphqlException returned (not thrown) commits the transaction: a completed UPDATE_PASSWORD is kept.
        Object outcome = inOwnTransaction("tokenAuth", s -> {
            requirePublicClient(s, client);
            ProbedForm form = new ProbedForm(passwordForm(client, username, password, scope));
            if (!blank(otp)) {
                form.putSingle(ProbedForm.TOTP, otp.trim());
            }
            TokenResult result = tokenEndpoint(s, form);
            if (result.ok()) {
                requireOnlineUnlessAllowed(result.response().getRefreshToken());
                return tokens(result.response());
            }
            if (notFullySetUp(result)) {
                return requiredActions(s, client, username, form, newPassword);
            }
            if (blank(otp) && form.otpAsked() && OAuthErrorException.INVALID_GRANT.equals(result.error())
                    && LoginActions.passwordAccepted(s, username, password)) {
                throw LoginActions.otpRequired();
            }
            throw loginError(result, client);
        });
        if (outcome instanceof GraphqlException e) {
            throw e;
        }
        return (Tokens) outcome;
    }

    private static boolean notFullySetUp(TokenResult result) {
        return OAuthErrorException.INVALID_GRANT.equals(result.error()) && LoginActions.NOT_FULLY_SET_UP.equals(result.description());
    }

    /** Keycloak accepted the credentials but has actions pending: name them, or complete UPDATE_PASSWORD and log in. */
    private Object requiredActions(KeycloakSession s, String client, String username, ProbedForm form, String newPassword) {
        RealmModel realm = s.getContext().getRealm();
        UserModel user = LoginActions.user(s, username);
        if (user == null) {
            throw GraphqlException.unauthenticated(INVALID_CREDENTIALS);
        }
        if (blank(newPassword) || !LoginActions.updatePassword(s, realm, user, realm.getClientByClientId(client), newPassword)) {
            throw LoginActions.actionRequired(LoginActions.pending(s, user));
        }
        List<String> remaining = LoginActions.pending(s, user);
        if (form.getFirst(ProbedForm.TOTP) != null) {
            // Keycloak takes a one-time code once: a second grant now would fail and count as a failed login.
            return remaining.isEmpty() ? LoginActions.otpRequired("The password was changed; log in with it and the next one-time code")
                    : LoginActions.actionRequired(remaining);
        }
        form.putSingle(OAuth2Constants.PASSWORD, newPassword);
        TokenResult again = tokenEndpoint(s, form);
        if (again.ok()) {
            requireOnlineUnlessAllowed(again.response().getRefreshToken());
            return tokens(again.response());
        }
        if (notFullySetUp(again)) {
            return LoginActions.actionRequired(LoginActions.pending(s, user));
        }
        return GraphqlException.unauthenticated("The password was changed; log in again with the new password");
    }

    @Override
    public Tokens refresh(String refreshToken) {
        if (blank(refreshToken)) {
            throw GraphqlException.badInput("refreshToken must not be empty");
        }
        String client = issuedFor(refreshToken, "Invalid or expired refresh token");
        requireOnlineUnlessAllowed(refreshToken);
        return inTransaction("refreshToken", s -> {
            requirePublicClient(s, client);
            MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
            form.putSingle(OAuth2Constants.GRANT_TYPE, OAuth2Constants.REFRESH_TOKEN);
            form.putSingle(OAuth2Constants.CLIENT_ID, client);
            form.putSingle(OAuth2Constants.REFRESH_TOKEN, refreshToken);
            TokenResult result = tokenEndpoint(s, form);
            if (result.ok()) {
                return tokens(result.response());
            }
            if (OAuthErrorException.INVALID_GRANT.equals(result.error()) || "invalid_token".equals(result.error())) {
                throw GraphqlException.unauthenticated("Invalid or expired refresh token");
            }
            throw grantError(result, client);
        });
    }

    @Override
    public long revoke(String token) {
        if (blank(token)) {
            throw GraphqlException.badInput("refreshToken must not be empty");
        }
        String client = issuedFor(token, "Invalid or expired token");
        return inTransaction("revokeToken", s -> {
            requirePublicClient(s, client);
            MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
            form.putSingle("token", token);
            form.putSingle(OAuth2Constants.CLIENT_ID, client);
            TokenResult result = withForm(s, form, () -> {
                EventBuilder event = new EventBuilder(s.getContext().getRealm(), s, s.getContext().getConnection());
                return new TokenRevocationEndpoint(s, event).revoke();
            });
            if (result.status() == 200 && result.error() == null) {
                return Instant.now().getEpochSecond();
            }
            if ("invalid_token".equals(result.error())) {
                // RFC 7009 answers 200 for tokens that are invalid, expired or already revoked; the seed's API errs.
                throw GraphqlException.unauthenticated("Invalid or expired token");
            }
            throw grantError(result, client);
        });
    }

    /** The payload of an access token Keycloak accepts as a bearer token right now; otherwise UNAUTHENTICATED. */
    @Override
    public Object verify(String token) {
        if (blank(token)) {
            throw GraphqlException.badInput("token must not be empty");
        }
        return inTransaction("verifyToken", s -> {
            AuthResult result = trustedBearer(s, token);
            if (result == null) {
                throw GraphqlException.unauthenticated("Invalid, expired or revoked token");
            }
            return new RawJson(Jwts.payloadJson(token));
        });
    }

    @Override
    public SignUp signUp(String username, String password, String email, String firstName, String lastName) {
        SignUp signUp = inOwnTransaction("createUser", s -> {
            RealmModel realm = s.getContext().getRealm();
            String clientId = config.clientId();
            EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection())
                    .event(EventType.REGISTER).client(clientId)
                    .detail(Details.REGISTER_METHOD, "graphql")
                    .detail(Details.USERNAME, username).detail(Details.EMAIL, email);
            if (!realm.isRegistrationAllowed()) {
                event.error(Errors.REGISTRATION_DISABLED);
                throw GraphqlException.forbidden("Registration is not allowed in this realm");
            }
            Optional<String> step = RegistrationSteps.unsupported(s, realm);
            if (step.isPresent()) {
                event.error(Errors.INVALID_REGISTRATION);
                throw GraphqlException.forbidden("The realm's registration flow has a step this API cannot run: "
                        + step.get() + ". Use the realm's own registration page.");
            }
            requirePublicClient(s, clientId);
            if (blank(password)) {
                event.error(Errors.INVALID_REGISTRATION);
                throw fieldError("password", message(s, "missingPasswordMessage"));
            }
            Map<String, List<String>> attributes = new LinkedHashMap<>();
            attributes.put(UserModel.USERNAME, List.of(nullToEmpty(username)));
            attributes.put(UserModel.EMAIL, List.of(nullToEmpty(email)));
            if (firstName != null) {
                attributes.put(UserModel.FIRST_NAME, List.of(firstName));
            }
            if (lastName != null) {
                attributes.put(UserModel.LAST_NAME, List.of(lastName));
            }
            UserProfile profile = s.getProvider(UserProfileProvider.class).create(UserProfileContext.REGISTRATION, attributes);
            try {
                profile.validate();
            } catch (ValidationException e) {
                event.error(e.hasError("emailExistsMessage") ? Errors.EMAIL_IN_USE
                        : e.hasError("usernameExistsMessage") ? Errors.USERNAME_IN_USE : Errors.INVALID_REGISTRATION);
                throw validationError(s, e);
            }
            String effectiveUsername = realm.isRegistrationEmailAsUsername() ? email : username;
            PolicyError policy = s.getProvider(PasswordPolicyManagerProvider.class).validate(effectiveUsername, password);
            if (policy != null) {
                event.error(Errors.INVALID_REGISTRATION);
                throw fieldError("password", message(s, policy.getMessage(), policy.getParameters()));
            }
            UserModel user;
            try {
                user = profile.create();
                user.setEnabled(true);
                // Re-validates every policy with the user in hand (notEmail, history, …): ModelException if one fails.
                user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
            } catch (ModelDuplicateException e) {
                event.error(Errors.USERNAME_IN_USE);
                throw GraphqlException.badInput("A user with this username or email already exists");
            } catch (ModelException e) {
                event.error(Errors.INVALID_REGISTRATION);
                throw fieldError("password", message(s, e.getMessage(), e.getParameters()));
            }
            event.user(user).success();
            if (EmailVerification.required(realm, user)) {
                // The password grant would refuse the user until the email is verified: kept, emailed, no tokens.
                new EmailVerification(s, clientId).afterSignUp(user);
                return new SignUp(UserView.of(user, null, null), null);
            }
            TokenResult result = tokenEndpoint(s, passwordForm(clientId, user.getUsername(), password, null));
            if (!result.ok()) {
                LOG.infof("createUser: no tokens for new user %s (%s: %s); the registration is rolled back",
                        user.getUsername(), result.error(), result.description());
                // Thrown inside the transaction: the user is not kept (see CONFIG.md).
                throw GraphqlException.forbidden("The account cannot be created here: Keycloak would not log it in ("
                        + Objects.requireNonNullElse(result.description(), result.error())
                        + "). Use the realm's own registration page.");
            }
            Tokens tokens = tokens(result.response());
            return new SignUp(UserView.of(user, hasuraDefaultRole(Jwts.payload(tokens.token())), null), tokens);
        });
        if (signUp.tokens() == null) {
            // No token to read the role from: the one the Hasura mapper will compute once the email is verified.
            UserModel created = session.users().getUserById(session.getContext().getRealm(), signUp.user().id());
            return created == null ? signUp : new SignUp(UserView.of(created, hasuraRole(created.getId()), null), null);
        }
        return signUp;
    }

    // ------------------------------------------------------------------------------------------------ account emails

    @Override
    public boolean sendPasswordResetEmail(String email) {
        return inOwnTransaction("sendPasswordResetEmail", s -> new PasswordReset(s, config.clientId()).send(email));
    }

    @Override
    public boolean passwordReset(String token, String newPassword) {
        return inOwnTransaction("passwordReset", s -> new PasswordReset(s, config.clientId()).reset(token, newPassword));
    }

    @Override
    public boolean resendActivationEmail(String email) {
        return inOwnTransaction("resendActivationEmail", s -> new EmailVerification(s, config.clientId()).resend(email));
    }

    @Override
    public boolean verifyAccount(String token) {
        return inOwnTransaction("verifyAccount", s -> new EmailVerification(s, config.clientId()).verify(token));
    }

    // ------------------------------------------------------------------------------------------------ queries

    /**
     * The caller named by the request's {@code Authorization: Bearer} header, verified by Keycloak (signature,
     * expiry, issuer, revocation, live session, enabled user and client). {@code x-hasura-*} headers are ignored.
     */
    @Override
    public Caller caller(List<String> authorization) {
        if (authorization == null || authorization.isEmpty()) {
            throw GraphqlException.unauthenticated("Authentication required: send Authorization: Bearer <access token>");
        }
        if (authorization.size() > 1) {
            throw GraphqlException.unauthenticated("Send exactly one Authorization header");
        }
        String header = authorization.get(0).trim();
        int space = header.indexOf(' ');
        if (space <= 0 || !header.substring(0, space).equalsIgnoreCase("Bearer") || blank(header.substring(space + 1))) {
            throw GraphqlException.unauthenticated("Authentication required: send Authorization: Bearer <access token>");
        }
        String token = header.substring(space + 1).trim();
        AuthResult result = trustedBearer(session, token);
        if (result == null) {
            throw GraphqlException.unauthenticated("Invalid, expired or revoked access token");
        }
        // Keycloak has parsed the token: its claims are used as they are, not decoded again.
        return new Caller(KeycloakCompat.user(result), KeycloakCompat.token(result), KeycloakCompat.client(result),
                KeycloakCompat.token(result).getOtherClaims());
    }

    /** A self-service operation of the caller, in a transaction as the other mutations run (see {@link #inTransaction}). */
    @Override
    public <T> T self(Caller caller, String operation, Function<Self, T> work) {
        String userId = caller.user().getId();
        String sessionId = caller.token().getSessionId();
        String clientUuid = caller.client().getId();
        return inTransaction(operation, s -> work.apply(Self.of(s, userId, sessionId, clientUuid)));
    }

    @Override
    public UserView whoami(Caller caller) {
        Map<String, Object> hasura = hasuraClaims(caller.claims());
        Object role = hasura == null ? null : hasura.get(HasuraMapperConfig.DEFAULT_ROLE);
        return UserView.of(caller.user(), role == null ? null : role.toString(), hasura);
    }

    /**
     * Tokens that carry the manager role (composites and groups count) or realm-management view-users: the role must
     * be in the access token's role claims, so the client's role scope applies, not only on the user.
     */
    @Override
    public void requireUserViewer(Caller caller) {
        RealmModel realm = session.getContext().getRealm();
        if (TokenRoles.hasRealmRole(caller.token(), config.managerRole())) {
            return;
        }
        if (!TokenRoles.mayViewUsers(caller.token())) {
            throw GraphqlException.forbidden("Must be " + config.managerRole() + " (or hold view-users) in this token to see users");
        }
        try {
            if (AdminPermissions.evaluator(session, realm, new AdminAuth(realm, caller.token(), caller.user(), caller.client()))
                    .users().canView()) {
                return;
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "view-users check failed for %s", caller.user().getUsername());
        }
        throw GraphqlException.forbidden("Must be " + config.managerRole() + " (or hold view-users) to see users");
    }

    /** One page of users sorted by username; reads {@code size + 1} rows to know whether more follow. */
    @Override
    public List<UserView> users(String search, int offset, int size) {
        RealmModel realm = session.getContext().getRealm();
        // One query for the page (UserPages: along the username index when Keycloak's search would be equivalent).
        // roles and profile look each user up by id (below), through Keycloak's user cache: after the first request,
        // a page's role mappings come from memory.
        List<UserModel> page = (blank(search) ? UserPages.byUsername(session, realm, offset, size + 1) : Optional.<List<UserModel>>empty())
                .orElseGet(() -> session.users().searchForUserStream(realm, UserPages.searchParameters(search), offset, size + 1).toList());
        return page.stream().map(user -> UserView.of(user, null, null)).toList();
    }

    @Override
    public int countUsers(String search) {
        return session.users().getUsersCount(session.getContext().getRealm(), UserPages.searchParameters(search));
    }

    @Override
    public Optional<UserView> user(String id) {
        if (blank(id)) {
            return Optional.empty();
        }
        UserModel user = session.users().getUserById(session.getContext().getRealm(), id);
        if (user == null || user.getServiceAccountClientLink() != null) {
            return Optional.empty();
        }
        return Optional.of(UserView.of(user, null, null));
    }

    /** Effective realm roles (composites and groups expanded), sorted. */
    @Override
    public List<String> roles(String userId) {
        UserModel user = cachedUser(userId);
        if (user == null) {
            return List.of();
        }
        return deepRoles(user).stream()
                .filter(role -> !role.isClientRole())
                .map(RoleModel::getName)
                .sorted()
                .toList();
    }

    /** A user by id, once per request (a page's users are each asked for roles and profile). */
    private UserModel cachedUser(String userId) {
        return usersById.computeIfAbsent(userId, id -> session.users().getUserById(session.getContext().getRealm(), id));
    }

    /** Effective role mappings (composites and groups expanded), once per user and request. */
    private Set<RoleModel> deepRoles(UserModel user) {
        return deepRoles.computeIfAbsent(user.getId(), id -> RoleUtils.getDeepUserRoleMappings(user));
    }

    /** The configured client's Hasura mapper and its roles client, once per request. */
    private HasuraSetup hasuraSetup() {
        if (hasuraSetup == null) {
            hasuraSetup = Optional.ofNullable(resolveHasuraSetup());
        }
        return hasuraSetup.orElse(null);
    }

    private HasuraSetup resolveHasuraSetup() {
        RealmModel realm = session.getContext().getRealm();
        ClientModel client = realm.getClientByClientId(config.clientId());
        if (client == null) {
            return null;
        }
        Optional<ProtocolMapperModel> mapper = hasuraMapper(client);
        if (mapper.isEmpty()) {
            return null;
        }
        HasuraMapperConfig mapperConfig;
        try {
            mapperConfig = HasuraMapperConfig.cached(mapper.get().getConfig());
        } catch (RuntimeException e) {
            LOG.debugf(e, "invalid Hasura mapper config on %s", config.clientId());
            return null;
        }
        ClientModel rolesClient = mapperConfig.rolesSource().includesClient() && mapperConfig.rolesClientId() != null
                ? realm.getClientByClientId(mapperConfig.rolesClientId()) : null;
        return new HasuraSetup(mapperConfig, rolesClient);
    }

    /**
     * The default Hasura role of a user as the configured client's Hasura claims mapper would compute it (realm and
     * client role mappings, composites expanded; client-scope role filtering is not applied). Null when that client
     * has no such mapper.
     */
    @Override
    public String hasuraRole(String userId) {
        HasuraSetup setup = hasuraSetup();
        UserModel user = setup == null ? null : cachedUser(userId);
        if (user == null) {
            return null;
        }
        HasuraMapperConfig mapperConfig = setup.config();
        Set<RoleModel> roles = deepRoles(user);
        List<String> realmRoles = roles.stream().filter(r -> !r.isClientRole()).map(RoleModel::getName).toList();
        List<String> clientRoles = List.of();
        ClientModel rolesClient = setup.rolesClient();
        if (rolesClient != null) {
            clientRoles = roles.stream().filter(r -> r.isClientRole() && rolesClient.getId().equals(r.getContainerId()))
                    .map(RoleModel::getName).toList();
        }
        List<String> allowed = HasuraClaims.allowedRoles(mapperConfig, realmRoles, clientRoles);
        return HasuraClaims.defaultRole(mapperConfig, allowed, user.getAttributes());
    }

    // ------------------------------------------------------------------------------------------------ internals

    /**
     * Runs refreshToken, verifyToken or revokeToken in a Keycloak transaction of its own. When the field is the
     * operation's only root field (the usual case), that transaction is the HTTP request's, as at the native
     * endpoint: no second session; a failure marks it rollback-only. With several root fields each gets a new
     * session and transaction, so one failing field does not undo another.
     * <p>
     * tokenAuth and createUser always use {@link #inOwnTransaction}: Keycloak's blocking brute-force protector
     * releases a user only after the login's transaction and its off-thread bookkeeping end, and ending the login
     * before the HTTP response (as a nested transaction does) lets a client log the same user in again right away.
     * Their cost is the password hash, which dwarfs a session.
     */
    private <T> T inTransaction(String name, Function<KeycloakSession, T> work) {
        if (!soleMutation) {
            return inOwnTransaction(name, work);
        }
        try {
            return work.apply(session);
        } catch (RuntimeException e) {
            session.getTransactionManager().setRollbackOnly();
            throw e;
        }
    }

    /** Runs a mutation in a new Keycloak session and transaction (committed before the GraphQL response). */
    private <T> T inOwnTransaction(String name, Function<KeycloakSession, T> work) {
        KeycloakContext outer = session.getContext();
        HttpRequest request = outer.getHttpRequest();
        var response = outer.getHttpResponse();
        var connection = outer.getConnection();
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), outer, inner -> {
            inner.getContext().setHttpRequest(request);
            inner.getContext().setHttpResponse(response);
            inner.getContext().setConnection(connection);
            return work.apply(inner);
        }, "GraphQL " + name);
    }

    private static void requirePublicClient(KeycloakSession s, String clientId) {
        ClientModel client = s.getContext().getRealm().getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            throw GraphqlException.badInput("Unknown or disabled client: " + clientId);
        }
        if (!client.isPublicClient() || client.isBearerOnly()) {
            throw GraphqlException.forbidden("Client " + clientId + " is not a public client; use Keycloak's token endpoint "
                    + "with its credentials instead");
        }
    }

    private static MultivaluedMap<String, String> passwordForm(String clientId, String username, String password, String scope) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle(OAuth2Constants.GRANT_TYPE, OAuth2Constants.PASSWORD);
        form.putSingle(OAuth2Constants.CLIENT_ID, clientId);
        form.putSingle(OAuth2Constants.USERNAME, username);
        form.putSingle(OAuth2Constants.PASSWORD, password);
        if (!blank(scope)) {
            form.putSingle(OAuth2Constants.SCOPE, scope);
        }
        return form;
    }

    /** What an endpoint answered: 200 with an entity, or an OAuth error. */
    private record TokenResult(int status, AccessTokenResponse response, String error, String description) {
        boolean ok() {
            return response != null;
        }

        static TokenResult of(Response r) {
            Object entity = r.getEntity();
            if (r.getStatus() == 200 && entity instanceof AccessTokenResponse tokens) {
                return new TokenResult(200, tokens, null, null);
            }
            if (entity instanceof OAuth2ErrorRepresentation error) {
                return new TokenResult(r.getStatus(), null, error.getError(), error.getErrorDescription());
            }
            if (r.getStatus() == 200) {
                return new TokenResult(200, null, null, null);
            }
            return new TokenResult(r.getStatus(), null, r.getStatus() == 403 ? "access_denied" : "server_error", null);
        }
    }

    private static TokenResult tokenEndpoint(KeycloakSession s, MultivaluedMap<String, String> form) {
        return withForm(s, form, () -> {
            EventBuilder event = new EventBuilder(s.getContext().getRealm(), s, s.getContext().getConnection());
            return new TokenEndpoint(s, new TokenManager(), event).processGrantRequest();
        });
    }

    /** Runs one of Keycloak's form endpoints with {@code form} as the request it sees; restores the request after. */
    private static TokenResult withForm(KeycloakSession s, MultivaluedMap<String, String> form,
                                        java.util.function.Supplier<Response> endpoint) {
        KeycloakContext context = s.getContext();
        HttpRequest original = context.getHttpRequest();
        context.setHttpRequest(new FormRequest(original, form));
        try {
            return TokenResult.of(endpoint.get());
        } catch (CorsErrorResponseException e) {
            return TokenResult.of(e.getResponse());
        } catch (ErrorResponseException e) {
            // Never getResponse(): it marks the transaction rollback-only.
            return new TokenResult(400, null, KeycloakCompat.error(e), e.getErrorDescription());
        } catch (WebApplicationException e) {
            return TokenResult.of(e.getResponse());
        } finally {
            context.setHttpRequest(original);
        }
    }

    private static GraphqlException loginError(TokenResult result, String clientId) {
        if (OAuthErrorException.INVALID_GRANT.equals(result.error()) || result.status() == 401 && "invalid_request".equals(result.error())) {
            // Unknown user, wrong password, locked or disabled account, pending required actions: one answer.
            return GraphqlException.unauthenticated(INVALID_CREDENTIALS);
        }
        return grantError(result, clientId);
    }

    private static GraphqlException grantError(TokenResult result, String clientId) {
        String error = Objects.requireNonNullElse(result.error(), "");
        String description = Objects.requireNonNullElse(result.description(), error);
        if (result.status() >= 500 || error.equals("server_error")) {
            return new GraphqlException(ErrorCode.INTERNAL, GraphqlErrors.INTERNAL_MESSAGE);
        }
        return switch (error) {
            case OAuthErrorException.INVALID_SCOPE -> GraphqlException.badInput("Invalid scope");
            case "invalid_request" -> GraphqlException.badInput(description);
            default -> GraphqlException.forbidden("Client " + clientId + " refused: " + description);
        };
    }

    /**
     * {@code azp} of a token, read without verification only to pick the client; Keycloak verifies it afterwards.
     * A token of a client outside {@code allowed-clients} is refused here, before Keycloak sees it.
     */
    private String issuedFor(String token, String invalidMessage) {
        Object azp;
        try {
            azp = Jwts.claim(token, "azp");
        } catch (RuntimeException e) {
            throw GraphqlException.unauthenticated(invalidMessage);
        }
        if (!(azp instanceof String client) || client.isBlank()) {
            throw GraphqlException.unauthenticated(invalidMessage);
        }
        requireAllowedClient(client);
        return client;
    }

    /** tokenAuth's client and the {@code azp} of refreshed and revoked tokens: only {@code allowed-clients}. */
    private void requireAllowedClient(String clientId) {
        if (!trust.allowsClient(clientId)) {
            throw GraphqlException.unauthenticated("Client " + clientId + " is not allowed here (allowed-clients)");
        }
    }

    /** An offline refresh token ({@code typ} Offline), unless {@code allow-offline-tokens} is on: FORBIDDEN. */
    private void requireOnlineUnlessAllowed(String refreshToken) {
        if (trust.allowOfflineTokens() || refreshToken == null) {
            return;
        }
        Object type;
        try {
            type = Jwts.claim(refreshToken, "typ");
        } catch (RuntimeException e) {
            return; // not a JWT: Keycloak refuses it with its own answer
        }
        if (TrustBoundary.OFFLINE_TYPE.equals(type)) {
            throw offlineRefused();
        }
    }

    private static GraphqlException offlineRefused() {
        return GraphqlException.forbidden("Offline tokens are not allowed here (scope " + TrustBoundary.OFFLINE_ACCESS
                + "; the server option allow-offline-tokens is off)");
    }

    /** A bearer token Keycloak accepts right now, issued to one of {@code allowed-clients}; otherwise null. */
    private AuthResult trustedBearer(KeycloakSession s, String token) {
        AuthResult result;
        try {
            result = new AppAuthManager.BearerTokenAuthenticator(s).setTokenString(token).authenticate();
        } catch (RuntimeException e) {
            LOG.debugf(e, "bearer token refused");
            return null;
        }
        if (result != null && (KeycloakCompat.client(result) == null || !trust.allowsClient(KeycloakCompat.client(result).getClientId()))) {
            LOG.debugf("bearer token of client %s refused: not in allowed-clients",
                    KeycloakCompat.client(result) == null ? null : KeycloakCompat.client(result).getClientId());
            return null;
        }
        return result;
    }

    static Tokens tokens(AccessTokenResponse response) {
        Long refreshExpiresAt = null;
        if (response.getRefreshToken() != null) {
            Object exp = Jwts.claim(response.getRefreshToken(), "exp");
            if (exp instanceof Number number && number.longValue() > 0) {
                refreshExpiresAt = number.longValue();
            } else if (response.getRefreshExpiresIn() > 0) {
                refreshExpiresAt = Instant.now().getEpochSecond() + response.getRefreshExpiresIn();
            }
        }
        return new Tokens(response.getToken(), response.getRefreshToken(), new RawJson(Jwts.payloadJson(response.getToken())), refreshExpiresAt,
                response.getExpiresIn(), response.getIdToken());
    }

    /** The Hasura claims object of a token payload, whichever claim name and format the mapper uses. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> hasuraClaims(Map<String, Object> payload) {
        if (payload == null) {
            return null;
        }
        for (Object value : payload.values()) {
            if (value instanceof Map<?, ?> map && map.containsKey(HasuraMapperConfig.DEFAULT_ROLE)) {
                return (Map<String, Object>) map;
            }
            if (value instanceof String text && text.contains(HasuraMapperConfig.DEFAULT_ROLE)) {
                try {
                    Map<String, Object> parsed = GraphqlHttp.JSON.readValue(text, MAP);
                    if (parsed.containsKey(HasuraMapperConfig.DEFAULT_ROLE)) {
                        return parsed;
                    }
                } catch (Exception e) {
                    // not the claims
                }
            }
        }
        return null;
    }

    static String hasuraDefaultRole(Map<String, Object> payload) {
        Map<String, Object> claims = hasuraClaims(payload);
        Object role = claims == null ? null : claims.get(HasuraMapperConfig.DEFAULT_ROLE);
        return role == null ? null : role.toString();
    }

    private static Optional<ProtocolMapperModel> hasuraMapper(ClientModel client) {
        List<ProtocolMapperModel> candidates = new ArrayList<>(client.getProtocolMappersStream().toList());
        client.getClientScopes(true).values().forEach(scope -> candidates.addAll(scope.getProtocolMappersStream().toList()));
        return candidates.stream()
                .filter(m -> HasuraClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper()))
                .findFirst();
    }

    private static GraphqlException fieldError(String field, String message) {
        return new GraphqlException(ErrorCode.BAD_USER_INPUT, message,
                Map.of("fields", List.of(Map.of("field", field, "message", message))));
    }

    private static GraphqlException validationError(KeycloakSession s, ValidationException e) {
        return ProfileErrors.of(s, e);
    }

    /** A message key of Keycloak's login theme in the caller's locale (the key itself when unknown). */
    private static String message(KeycloakSession s, String key, Object... parameters) {
        return ThemeMessages.text(s, key, parameters);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
