package org.wsss.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ImageIdsTest {

    @Test
    void vocAndLidIdsAreAccepted() {
        assertNull(ImageIds.problem("2007_000032"));
        assertNull(ImageIds.problem("ILSVRC2013_train/n01440764/n01440764_10026"));
        assertNull(ImageIds.problem("img.v2"));
    }

    @Test
    void idsThatLeaveTheFolderOrAreNotPlainPathsAreRefusedWithTheIdNamed() {
        assertEquals("image id '../../../../outside/evil' has a '..' segment and could resolve outside its image "
                + "folder", ImageIds.problem("../../../../outside/evil"));
        assertEquals("image id 'a/../b' has a '..' segment and could resolve outside its image folder",
                ImageIds.problem("a/../b"));
        assertEquals("image id '/etc/passwd' is an absolute path; ids are paths relative to the image folder",
                ImageIds.problem("/etc/passwd"));
        assertEquals("image id 'a:b' contains ':', which a Hadoop path reads as a URI scheme",
                ImageIds.problem("a:b"));
        assertEquals("image id '..\\x' contains '\\'; only '/' separates folders in an id",
                ImageIds.problem("..\\x"));
        assertEquals("image id 'a//b' has an empty or '.' path segment; ids are plain relative paths",
                ImageIds.problem("a//b"));
        assertEquals("image id 'a/./b' has an empty or '.' path segment; ids are plain relative paths",
                ImageIds.problem("a/./b"));
        assertEquals("image id 'a\\u0007b' contains the control character U+0007", ImageIds.problem("a\u0007b"));
        assertEquals("image id is empty", ImageIds.problem(""));
    }

    @Test
    void fileNamesKeepPlainCharactersAndPercentEncodeTheRest() {
        assertEquals("2007_000032", ImageIds.fileName("2007_000032"));
        assertEquals("ILSVRC2013_train%2Fn01440764%2Fx-1", ImageIds.fileName("ILSVRC2013_train/n01440764/x-1"));
        assertEquals("%2E%2E%2F%2E%2E%2Foutside%2Fsecret", ImageIds.fileName("../../outside/secret"));
        assertEquals("%2Ehidden", ImageIds.fileName(".hidden"));
        assertEquals("a%3Ab%25%C3%A9", ImageIds.fileName("a:b%\u00e9"));
    }

    @Test
    void fileNamesHaveNoSeparatorDotOrLeadingDotAndDecodeToTheId() {
        String[] ids = {"../../../../outside/evil", ".hidden", "a:b", "a\\b", "x/./y", "%2F", "\u00e9t\u00e9/\u4e2d",
                "..", "a b\tc", "ILSVRC2013_train/n01440764/n01440764_10026"};
        for (String id : ids) {
            String name = ImageIds.fileName(id);
            assertTrue(name.matches("[A-Za-z0-9_%-]+"), name);
            assertEquals(id, ImageIds.fromFileName(name));
        }
    }
}
