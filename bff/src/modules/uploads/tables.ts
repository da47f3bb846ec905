import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { UPLOAD_PURPOSE_VALUES, UPLOAD_PURPOSES, UPLOAD_VISIBILITIES } from 'shared';
import { createdAt, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';

export const uploadPurposeEnum = pgEnum('upload_purpose', UPLOAD_PURPOSE_VALUES);
export const uploadVisibilityEnum = pgEnum('upload_visibility', UPLOAD_VISIBILITIES);

/** The visibility a purpose implies, written from the shared table so the two cannot drift. */
const visibilityOfPurpose = sql.raw(
  `CASE "purpose" ${Object.entries(UPLOAD_PURPOSES)
    .map(([p, { visibility }]) => `WHEN '${p}' THEN '${visibility}'::upload_visibility`)
    .join(' ')} END`,
);

/**
 * One re-encoded image and its thumbnail in the object store. The bytes live in the store; this row
 * says whose they are, who may see them and what they belong to. An upload is attached to at most
 * one thing, once, by its owner (the conditional update in `attachUploads` decides).
 */
export const uploads = pgTable(
  'uploads',
  {
    id: idColumn(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: uploadPurposeEnum('purpose').notNull(),
    visibility: uploadVisibilityEnum('visibility').notNull(),
    contentType: text('content_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    imageKey: text('image_key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    /** What it belongs to ('refund' and the refund's id); null while unattached. */
    attachedType: text('attached_type'),
    attachedId: uuid('attached_id'),
    attachedAt: tstz('attached_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('uploads_attached_idx').on(t.attachedType, t.attachedId),
    index('uploads_owner_idx').on(t.ownerId, t.createdAt),
    check(
      'uploads_attachment_whole',
      sql`(${t.attachedType} IS NULL) = (${t.attachedId} IS NULL) AND (${t.attachedId} IS NULL) = (${t.attachedAt} IS NULL)`,
    ),
    check('uploads_visibility_of_purpose', sql`${t.visibility} = ${visibilityOfPurpose}`),
    check('uploads_size_positive', sql`${t.bytes} > 0 AND ${t.width} > 0 AND ${t.height} > 0`),
  ],
);
