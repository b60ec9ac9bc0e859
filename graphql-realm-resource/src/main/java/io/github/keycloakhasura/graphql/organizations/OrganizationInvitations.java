package io.github.keycloakhasura.graphql.organizations;

import io.github.keycloakhasura.compat.OrganizationInvitationStore;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.OrganizationLogin;
import io.github.keycloakhasura.graphql.keycloak.account.ActionTokens;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.actiontoken.inviteorg.InviteOrgActionToken;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocolService;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.services.Urls;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.services.validation.Validation;
import org.keycloak.storage.adapter.AbstractInMemoryUserAdapter;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak's organization invitations, sent and accepted through the API: the same action token
 * ({@link InviteOrgActionToken}, type {@code ORGIVT}), link and email template ({@code sendOrgInviteEmail}) as the
 * admin console's "Invite member", and, where Keycloak stores invitations (26.5+), the same stored invitation, deleted
 * when used. Accepting checks the token as Keycloak's action-token endpoint does (signature, expiry, issuer, type,
 * single use) and that it names the caller's verified email address.
 */
final class OrganizationInvitations {

    private static final Logger LOG = Logger.getLogger(OrganizationInvitations.class);
    static final String INVALID = "Invalid, expired or used invitation";

    boolean invite(KeycloakSession s, OrganizationModel org, String email) {
        String address = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        if (!Validation.isEmailValid(address)) {
            throw GraphqlException.badInput("email is not a valid email address");
        }
        if (!org.isEnabled()) {
            throw GraphqlException.badInput("The organization is disabled");
        }
        RealmModel realm = s.getContext().getRealm();
        OrganizationProvider provider = OrganizationLogin.provider(s);
        UserModel user = s.users().getUserByEmail(realm, address);
        if (user != null && provider.isMember(org, user)) {
            throw GraphqlException.badInput("Already a member of the organization");
        }
        if (OrganizationInvitationStore.pending(provider, org, address)) {
            throw GraphqlException.badInput("This address already has a pending invitation");
        }
        OrganizationInvitationStore.Invitation stored = OrganizationInvitationStore.create(provider, org, address);
        int lifespan = realm.getActionTokenGeneratedByAdminLifespan();
        InviteOrgActionToken token = new InviteOrgActionToken(user == null ? null : user.getId(),
                stored == null ? Time.currentTime() + lifespan : stored.expiresAt(), address, Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        token.setOrgId(org.getId());
        if (stored != null) {
            token.id(stored.id());
        }
        token.setRedirectUri(org.getRedirectUrl() == null || org.getRedirectUrl().isBlank()
                ? Urls.accountBase(s.getContext().getUri().getBaseUri()).path("/").build(realm.getName()).toString()
                : org.getRedirectUrl());
        String serialized = token.serialize(s, realm, s.getContext().getUri());
        String link = user != null
                ? LoginActionsService.actionTokenProcessor(s.getContext().getUri()).queryParam("key", serialized)
                        .build(realm.getName()).toString()
                : OIDCLoginProtocolService.registrationsUrl(s.getContext().getUri().getBaseUriBuilder())
                        .queryParam(OAuth2Constants.RESPONSE_TYPE, OIDCResponseType.CODE)
                        .queryParam(Constants.CLIENT_ID, Constants.ACCOUNT_MANAGEMENT_CLIENT_ID)
                        .queryParam(Constants.TOKEN, serialized)
                        .buildFromMap(Map.of("realm", realm.getName(), "protocol", OIDCLoginProtocol.LOGIN_PROTOCOL)).toString();
        OrganizationInvitationStore.setLink(stored, link);
        UserModel recipient = user;
        if (recipient == null) {
            // No user has this address yet: Keycloak's template greets an in-memory user, as its own invitation does.
            recipient = new AbstractInMemoryUserAdapter(s, realm, null) {
                @Override
                public org.keycloak.models.SubjectCredentialManager credentialManager() {
                    throw new UnsupportedOperationException("an invitation's recipient has no credentials");
                }
            };
            recipient.setEmail(address);
        }
        try {
            s.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(recipient)
                    .sendOrgInviteEmail(org, link, TimeUnit.SECONDS.toMinutes(lifespan));
        } catch (EmailException e) {
            LOG.warnf(e, "organization invitation email to %s failed", address);
            throw new GraphqlException(ErrorCode.INTERNAL, "The invitation email could not be sent");
        }
        return true;
    }

    boolean accept(KeycloakSession s, String userId, String tokenString) {
        RealmModel realm = s.getContext().getRealm();
        EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection()).event(EventType.INVITE_ORG);
        InviteOrgActionToken token = verify(s, tokenString, event);
        OrganizationProvider provider = OrganizationLogin.provider(s);
        UserModel user = s.users().getUserById(realm, userId);
        OrganizationModel org = provider == null || token.getOrgId() == null ? null : provider.getById(token.getOrgId());
        event.detail(Details.ORG_ID, token.getOrgId()).user(user);
        if (org == null || !org.isEnabled()) {
            event.error(Errors.ORG_NOT_FOUND);
            throw invalid();
        }
        if (user == null || token.getEmail() == null || !token.getEmail().equalsIgnoreCase(user.getEmail())
                || token.getUserId() != null && !token.getUserId().equals(user.getId())) {
            event.error(Errors.INVALID_EMAIL);
            throw GraphqlException.forbidden("The invitation is addressed to another email address");
        }
        if (!user.isEmailVerified()) {
            event.error(Errors.INVALID_EMAIL);
            throw GraphqlException.forbidden("Verify your email address before accepting an invitation");
        }
        if (provider.isMember(org, user)) {
            throw GraphqlException.badInput("Already a member of the organization");
        }
        if (!OrganizationInvitationStore.valid(provider, token.getId())) {
            event.error(Errors.INVALID_TOKEN);
            throw invalid();
        }
        long singleUse = Math.max(1, token.getExp() - Time.currentTime() + 10);
        if (!s.singleUseObjects().putIfAbsent(token.serializeKey(), singleUse)) {
            event.error(Errors.EXPIRED_CODE);
            throw invalid();
        }
        provider.addMember(org, user);
        OrganizationInvitationStore.remove(provider, token.getId());
        event.detail(Details.USERNAME, user.getUsername()).success();
        return true;
    }

    /** Signature, expiry, issuer and type, as {@code LoginActionsService.handleActionToken} checks them. */
    private static InviteOrgActionToken verify(KeycloakSession s, String tokenString, EventBuilder event) {
        if (tokenString == null || tokenString.isBlank()) {
            throw GraphqlException.badInput("token must not be empty");
        }
        try {
            return ActionTokens.checked(s, tokenString, InviteOrgActionToken.class, InviteOrgActionToken.TOKEN_TYPE, t -> true);
        } catch (VerificationException | RuntimeException e) {
            LOG.debugf(e, "organization invitation refused");
            event.error(Errors.INVALID_TOKEN);
            throw invalid();
        }
    }

    private static GraphqlException invalid() {
        return new GraphqlException(ErrorCode.INVALID_TOKEN, INVALID);
    }
}
