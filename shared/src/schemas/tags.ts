import { Type, type Static } from 'typebox';

/** `GET /api/v1/tags`: every tag in use, sorted. */
export const TagListSchema = Type.Array(Type.String());
export type TagList = Static<typeof TagListSchema>;

/** `PUT /api/v1/tags`: set (replace) the tags of these messages; an empty list removes all. */
export const SetTagsBodySchema = Type.Object({
  IDs: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100_000 }),
  Tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
});
export type SetTagsBody = Static<typeof SetTagsBodySchema>;

/** `PUT /api/v1/tags/{tag}`: rename a tag. */
export const RenameTagBodySchema = Type.Object({
  Name: Type.String({ minLength: 1, maxLength: 100 }),
});
export type RenameTagBody = Static<typeof RenameTagBodySchema>;

/** The `{tag}` in `/api/v1/tags/{tag}`. */
export const TagParamsSchema = Type.Object({
  tag: Type.String({ minLength: 1, maxLength: 100 }),
});
export type TagParams = Static<typeof TagParamsSchema>;
